import { TRAFFIC_COUNT_METRICS, TRAFFIC_METRICS } from '../core/metrics.js';
import { freeFlowSpeed, trafficSummary, type FreeFlow, type TrafficHour, type TrafficSummary } from '../core/traffic.js';
import type { AggregateRow, AggregatesRepository } from '../db/aggregatesRepository.js';
import type { AreaRef } from './areaScope.js';

/**
 * Traffic for a counter, a street or a ward over a period: flow per hour by vehicle class, mean
 * speed, congestion against the free-flow speed, busiest hours (core/traffic.ts). A street's or
 * ward's hourly flow is the mean per counter (the aggregates average flows over every counter's
 * readings), so a ward with many counters is not "busier" for having them. The free-flow speed is
 * learned from the 28 days before the period ends, so a short period still has one.
 */

export const FREE_FLOW_LEARNING_DAYS = 28;
const DAY_MS = 86_400_000;
const MAX_HOURS = 24 * 400;

export interface TrafficAnswer {
  summary: TrafficSummary;
  freeFlow: FreeFlow | null;
  hours: TrafficHour[];
}

export class TrafficService {
  constructor(private readonly aggregates: Pick<AggregatesRepository, 'series'>) {}

  async summary(area: AreaRef, from: Date, to: Date): Promise<TrafficAnswer> {
    const hours = await this.hours(area, from, to);
    const learnFrom = new Date(to.getTime() - FREE_FLOW_LEARNING_DAYS * DAY_MS);
    const learning = learnFrom.getTime() >= from.getTime() ? hours.filter((hour) => Date.parse(hour.start) >= learnFrom.getTime()) : await this.hours(area, learnFrom, to);
    const freeFlow = freeFlowSpeed(learning);
    return { summary: trafficSummary(hours, freeFlow?.speedKmh ?? null), freeFlow, hours };
  }

  /** The free-flow speed learned from the 28 days before `to` (one query; for the live alerts). */
  async freeFlow(area: AreaRef, to: Date): Promise<FreeFlow | null> {
    return freeFlowSpeed(await this.hours(area, new Date(to.getTime() - FREE_FLOW_LEARNING_DAYS * DAY_MS), to));
  }

  private async hours(area: AreaRef, from: Date, to: Date): Promise<TrafficHour[]> {
    const rows = await this.aggregates.series({ scope: area.scope, id: area.id, metrics: TRAFFIC_METRICS, bucket: 'hour', from, to, limit: MAX_HOURS });
    return rows.flatMap(toTrafficHour);
  }
}

function toTrafficHour(row: AggregateRow): TrafficHour[] {
  const flow: TrafficHour['flow'] = {};
  for (const metric of TRAFFIC_COUNT_METRICS) {
    const mean = row.metrics[metric]?.mean;
    if (mean !== undefined && mean !== null) flow[metric] = mean;
  }
  const speedKmh = row.metrics.speed_kmh?.mean ?? null;
  if (Object.keys(flow).length === 0 && speedKmh === null) return [];
  return [{ start: row.start, flow, speedKmh }];
}
