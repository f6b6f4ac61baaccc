import { CAPTURE_FLAG_TEXT, type Capture, type Completeness, type Timeliness } from '../core/dataCapture.js';
import { daqiColour, DAQI_POLLUTANTS, type AreaDaqi, type DaqiReport } from '../core/daqi.js';
import { HOUR_MS } from '../core/londonTime.js';
import { METRIC_INFO, METRICS, type Metric, type MetricValues } from '../core/metrics.js';
import type { ObjectiveAssessment } from '../core/objectives.js';
import type { ReplayAnswer, ReplayDeviceHour } from '../core/replay.js';
import type { AggregateBucket, AreaAggregate, DeviceHourMeans } from '../db/aggregatesRepository.js';
import type { StoredQualityFlag } from '../db/qualityFlagsRepository.js';
import type { CurrentDaqiAnswer, DaqiDay, DeviceObjectives } from './airQualityService.js';
import type { AreaRef } from './areaScope.js';
import type { QualityAnswer } from './dataQualityService.js';
import type { TrafficAnswer } from './trafficService.js';

/** What the store's API sends, field by field (server/storeRoutes.ts; docs/api.md). */

const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

function presentOverall(overall: AreaDaqi | undefined) {
  return overall
    ? { index: overall.index, band: overall.band, colour: daqiColour(overall.index), pollutant: overall.pollutant, deviceId: overall.deviceId, devices: overall.devices }
    : null;
}

function presentReport(report: DaqiReport) {
  return {
    index: report.overall?.index ?? null,
    band: report.overall?.band ?? null,
    pollutant: report.overall?.pollutant ?? null,
    subIndices: DAQI_POLLUTANTS.flatMap((pollutant) => {
      const sub = report.subIndices[pollutant];
      return sub
        ? [{ pollutant, index: sub.index, band: sub.band, concentration: round(sub.value), averaging: sub.averaging, validValues: sub.valid, possibleValues: sub.possible }]
        : [];
    }),
    insufficientData: report.insufficient,
  };
}

export function presentCurrentDaqi(ref: AreaRef, answer: CurrentDaqiAnswer) {
  return {
    scope: ref.scope,
    id: ref.id,
    name: ref.name,
    asOf: answer.asOf,
    overall: presentOverall(answer.overall),
    levels: DAQI_POLLUTANTS.flatMap((pollutant) => {
      const level = answer.levels[pollutant];
      return level ? [{ pollutant, mean: round(level.mean), unit: 'µg/m³', devices: level.devices }] : [];
    }),
    devices: answer.devices.map(({ deviceId, hasData, daqi }) => ({ deviceId, hasData, ...presentReport(daqi) })),
  };
}

export function presentDaqiDay(day: DaqiDay) {
  return {
    date: day.date,
    overall: presentOverall(day.overall),
    devices: day.devices.map(({ deviceId, hasData, daqi }) => ({ deviceId, hasData, ...presentReport(daqi) })),
  };
}

function presentCapture(capture: Capture) {
  return { valid: capture.valid, possible: capture.possible, percent: round(capture.share * 100), flag: capture.flag, note: CAPTURE_FLAG_TEXT[capture.flag] };
}

function presentAssessment(assessment: ObjectiveAssessment) {
  const { objective } = assessment;
  return {
    id: objective.id,
    label: objective.label,
    framework: objective.framework,
    pollutant: objective.pollutant,
    statistic: objective.statistic,
    limit: objective.limit,
    unit: 'µg/m³',
    ...(objective.statistic === 'annual_mean' ? {} : { allowedPerYear: objective.allowedPerYear }),
    value: assessment.value === null ? null : objective.statistic === 'annual_mean' ? round(assessment.value) : assessment.value,
    status: assessment.status,
    dataCapture: presentCapture(assessment.capture),
  };
}

export function presentObjectives(devices: readonly DeviceObjectives[]) {
  return devices.map(({ deviceId, hasData, assessments }) => ({ deviceId, hasData, objectives: assessments.map(presentAssessment) }));
}

function presentCompleteness(c: Completeness) {
  return { received: c.received, expected: c.expected, percent: round(c.share * 100) };
}

function presentTimeliness(t: Timeliness) {
  return { received: t.received, onTime: t.onTime, withinSeconds: t.maxDelayS, percent: t.share === null ? null : round(t.share * 100) };
}

function presentFlag(flag: StoredQualityFlag) {
  return { deviceId: flag.deviceId, metric: flag.metric, reason: flag.reason, start: flag.start, end: flag.end, value: flag.value, readings: flag.readings };
}

export function presentQuality(answer: QualityAnswer) {
  return {
    completeness: presentCompleteness(answer.completeness),
    timeliness: presentTimeliness(answer.timeliness),
    devices: answer.devices.map((device) => ({
      deviceId: device.deviceId,
      completeness: presentCompleteness(device.completeness),
      timeliness: presentTimeliness(device.timeliness),
      flaggedValues: { ...device.flagged },
    })),
    suspectStretches: answer.flags.map(presentFlag),
    suspectStretchesTruncated: answer.flagsTruncated,
  };
}

export function presentTraffic(answer: TrafficAnswer) {
  const { summary } = answer;
  const flows = (flow: Partial<Record<Metric, number>>) => Object.fromEntries(Object.entries(flow).map(([metric, value]) => [metric, round(value)]));
  return {
    hoursWithData: summary.hoursWithData,
    meanFlowPerHour: flows(summary.meanFlow),
    meanMotorVehiclesPerHour: summary.meanMotorFlow === null ? null : round(summary.meanMotorFlow),
    meanSpeedKmh: summary.meanSpeedKmh === null ? null : round(summary.meanSpeedKmh),
    freeFlowSpeedKmh: answer.freeFlow ? round(answer.freeFlow.speedKmh) : null,
    freeFlowNightHours: answer.freeFlow?.nightHours ?? 0,
    congestion: summary.congestion ? { ratio: round(summary.congestion.ratio, 2), level: summary.congestion.level } : null,
    congestedHours: summary.congestedHours,
    busiestHours: summary.busiestHours.map((hour) => ({ hour: hour.hour, label: hour.label, meanMotorVehiclesPerHour: round(hour.meanFlow), hoursCounted: hour.hoursCounted })),
    hours: answer.hours.map((hour) => ({ start: hour.start, flowPerHour: flows(hour.flow), speedKmh: hour.speedKmh === null ? null : round(hour.speedKmh) })),
  };
}

export function presentAreaSummary(metric: Metric, from: Date, to: Date, bucket: AggregateBucket, wards: readonly AreaAggregate[], names: ReadonlyMap<string, string>) {
  const info = METRIC_INFO[metric];
  return {
    metric,
    unit: info.integer ? 'vehicles per hour' : info.unit,
    from: from.toISOString(),
    to: to.toISOString(),
    source: bucket === 'day' ? 'daily aggregates' : 'hourly aggregates',
    wards: wards.flatMap((ward) => {
      const m = ward.metrics[metric];
      return m
        ? [{ wardCode: ward.id, wardName: names.get(ward.id) ?? null, mean: m.mean === null ? null : round(m.mean), min: m.min, max: m.max, values: m.n, flagged: m.flagged, readings: ward.readings, buckets: ward.buckets }]
        : [];
    }),
  };
}

/** Every hour of [from, to), oldest first, each with the devices that have readings in it. */
export function presentReplay(from: Date, to: Date, rows: readonly DeviceHourMeans[]): ReplayAnswer {
  const byHour = new Map<string, ReplayDeviceHour[]>();
  for (const row of rows) {
    const values: MetricValues = {};
    for (const metric of METRICS) {
      const mean = row.means[metric];
      if (mean !== undefined) values[metric] = mean;
    }
    const list = byHour.get(row.start) ?? [];
    list.push({ deviceId: row.deviceId, values, readings: row.readings });
    byHour.set(row.start, list);
  }
  const hours: ReplayAnswer['hours'] = [];
  for (let at = from.getTime(); at < to.getTime(); at += HOUR_MS) {
    const hour = new Date(at).toISOString();
    hours.push({ hour, readings: byHour.get(hour) ?? [] });
  }
  return { from: from.toISOString(), to: to.toISOString(), hours };
}
