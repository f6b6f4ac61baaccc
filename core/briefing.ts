import type { DaqiBand } from './daqi.js';
import type { DeviceKind } from './device.js';
import { yearEarlier } from './londonTime.js';
import { DAQI_BANDS, formatNumber } from './wardCompare.js';

/**
 * A councillor's briefing for a street or a ward (issue 8): one headline sentence, a few facts that
 * matter, and the caveats, in plain English, from figures worked out elsewhere (the ward
 * comparison's, so the same numbers appear in both). Rules in code, no external service: the same
 * figures always give the same words, and the golden tests (core/briefing.test.ts) pin them.
 *
 * Plain English: short sentences; DAQI, UPRN and USRN said in full the first time; every number with
 * its unit and its period.
 */

/** One pollutant over the period, as the ward comparison works it out. */
export interface PollutantFacts {
  /** µg/m³: each device's mean of its valid hours, averaged over the devices. */
  mean: number | null;
  /** The highest daily value and its London date. */
  highestDay: { date: string; value: number } | null;
  /** Hours (NO₂) over the UK short-term objective, and days over the WHO guideline, at the worst device. */
  ukExceedances: number | null;
  whoExceedances: number | null;
  /** %, null without devices. */
  capture: number | null;
  devices: number;
  /** The same dates a year earlier. */
  previousMean: number | null;
}

export interface TrafficFacts {
  /** Motor vehicles an hour, averaged over the day and night. */
  meanFlow: number | null;
  /** The London hour of the day (0–23) with the highest mean flow, and that flow. */
  busiestHour: { hour: number; flow: number } | null;
  /** Mean speed as a % of the free-flow (night-time) speed; null when not learned. */
  congestion: number | null;
  previousFlow: number | null;
  devices: number;
}

export interface BriefingPlace {
  kind: 'ward' | 'street';
  name: string;
  /** For a street: the ward it is in. */
  wardName: string | null;
  /** Addresses (UPRNs); null when no addresses have been imported. */
  uprnCount: number | null;
}

export interface BriefingFacts {
  place: BriefingPlace;
  /** London dates, inclusive. */
  period: { from: string; to: string; days: number };
  no2: PollutantFacts | null;
  pm25: PollutantFacts | null;
  /** Days in each DAQI band (a day's index is its worst device's); null without air-quality data. */
  daqiDays: Record<DaqiBand, number> | null;
  traffic: TrafficFacts | null;
  devices: readonly { kind: DeviceKind; distanceM: number | null }[];
  /** True when the devices are the nearest ones, not the place's own. */
  nearest: boolean;
}

export interface BriefingFact {
  label: string;
  value: string;
  detail: string | null;
}

export interface BriefingSection {
  id: 'air' | 'daqi' | 'traffic' | 'data';
  heading: string;
  facts: BriefingFact[];
}

export interface BriefingText {
  headline: string;
  sections: BriefingSection[];
  caveats: string[];
  glossary: { term: string; meaning: string }[];
}

/** The levels a briefing compares with (µg/m³): the UK annual objective or limit, and the WHO 2021 guideline. */
const LIMITS = {
  no2: { uk: 40, ukName: 'the UK annual objective', who: 10, name: 'nitrogen dioxide (NO₂)', short: 'NO₂', hourly: 200, hourlyAllowed: 18, whoDaily: 25 },
  pm25: { uk: 20, ukName: 'the UK annual limit', who: 5, name: 'fine particles (PM2.5)', short: 'PM2.5', hourly: null, hourlyAllowed: null, whoDaily: 15 },
} as const;
/** England's 2040 target for PM2.5, µg/m³. */
const PM25_2040_TARGET = 10;
const LOW_CAPTURE = 75;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "10 February" or "10 February 2026". */
export function dayLabel(date: string, withYear = false): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]}${withYear ? ` ${year}` : ''}`;
}

/** "30 January to 28 February 2026"; "1 to 28 February 2026"; "28 February 2026". */
export function periodLabel(from: string, to: string): string {
  if (from === to) return dayLabel(to, true);
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const sameMonth = sameYear && from.slice(5, 7) === to.slice(5, 7);
  const start = sameMonth ? String(Number(from.slice(8, 10))) : dayLabel(from, !sameYear);
  return `${start} to ${dayLabel(to, true)}`;
}

/** The same dates a year earlier (29 February becomes the 28th). */
export function previousYearLabel(from: string, to: string): string {
  return periodLabel(yearEarlier(from), yearEarlier(to));
}

const ug = (value: number) => `${formatNumber(value, 1)} µg/m³`;
const count = (n: number, one: string, many: string) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00 to ${String((hour + 1) % 24).padStart(2, '0')}:00`;

function inPlace(place: BriefingPlace): string {
  return place.kind === 'street' ? `on ${place.name}` : `in ${place.name}`;
}

/** Where a level stands against the UK and WHO levels, in words. */
function against(mean: number, limits: (typeof LIMITS)[keyof typeof LIMITS]): string {
  if (mean > limits.uk) return `Above ${limits.ukName} of ${limits.uk} µg/m³ and the WHO guideline of ${limits.who} µg/m³.`;
  if (mean > limits.who) return `Below ${limits.ukName} of ${limits.uk} µg/m³, above the WHO guideline of ${limits.who} µg/m³.`;
  return `Below ${limits.ukName} of ${limits.uk} µg/m³ and the WHO guideline of ${limits.who} µg/m³.`;
}

function change(now: number | null, before: number | null, format: (value: number) => string, previous: string): string | null {
  if (now === null || before === null) return null;
  const difference = now - before;
  if (Math.abs(difference) < 0.05) return `The same as on the same dates last year (${previous}).`;
  return `${difference > 0 ? 'Up' : 'Down'} ${format(Math.abs(difference))} from the same dates last year (${format(before)}).`;
}

function pollutantFacts(key: 'no2' | 'pm25', facts: PollutantFacts, previous: string): BriefingFact[] {
  const limits = LIMITS[key];
  if (facts.mean === null) return [{ label: `Average ${limits.name}`, value: 'No data', detail: null }];
  const details = [against(facts.mean, limits)];
  if (key === 'pm25') details.push(facts.mean > PM25_2040_TARGET ? `England's target for 2040 is ${PM25_2040_TARGET} µg/m³.` : `Already below England's target for 2040 of ${PM25_2040_TARGET} µg/m³.`);
  if (facts.highestDay) details.push(`Highest day: ${ug(facts.highestDay.value)} on ${dayLabel(facts.highestDay.date)}.`);
  const changed = change(facts.mean, facts.previousMean, ug, previous);
  if (changed) details.push(changed);
  const out: BriefingFact[] = [{ label: `Average ${limits.name}`, value: ug(facts.mean), detail: details.join(' ') }];
  if (limits.hourly !== null && facts.ukExceedances !== null) {
    out.push({
      label: `Hours with ${limits.short} over ${limits.hourly} µg/m³`,
      value: count(facts.ukExceedances, 'hour', 'hours'),
      detail: `The UK objective allows ${limits.hourlyAllowed} such hours a year.`,
    });
  }
  if (facts.whoExceedances !== null) {
    out.push({
      label: `Days with ${limits.short} over ${limits.whoDaily} µg/m³ (daily average)`,
      value: count(facts.whoExceedances, 'day', 'days'),
      detail: 'The WHO guideline allows 3 or 4 such days a year.',
    });
  }
  return out;
}

function daqiTotal(days: Record<DaqiBand, number>): number {
  return DAQI_BANDS.reduce((sum, band) => sum + days[band], 0);
}

/** "Low on the Daily Air Quality Index (DAQI 1–3) on all 28 days with data", "mostly Low … : 24 of 28 days". */
function daqiPhrase(days: Record<DaqiBand, number>): string {
  const total = daqiTotal(days);
  const most = DAQI_BANDS.reduce((best, band) => (days[band] > days[best] ? band : best), 'Low' as DaqiBand);
  const scale = `on the Daily Air Quality Index (DAQI ${DAQI_BAND_RANGE[most]})`;
  if (days[most] === total) return `${most} ${scale} on ${total === 1 ? 'the only day' : `all ${total} days`} with data`;
  return `mostly ${most} ${scale}: ${days[most]} of ${total} days with data`;
}

const DAQI_BAND_RANGE: Readonly<Record<DaqiBand, string>> = { Low: '1–3', Moderate: '4–6', High: '7–9', 'Very High': '10' };

/** The one thing to say about NO₂: the worst of hours over the limit, the annual objective, the WHO guideline. */
function no2Phrase(no2: PollutantFacts | null): string | null {
  if (!no2 || no2.mean === null) return null;
  const limits = LIMITS.no2;
  if (no2.ukExceedances !== null && no2.ukExceedances > limits.hourlyAllowed) {
    return `nitrogen dioxide (NO₂) was over ${limits.hourly} µg/m³ for ${no2.ukExceedances} hours, more than the ${limits.hourlyAllowed} a year the UK objective allows`;
  }
  if (no2.mean > limits.uk) return `nitrogen dioxide (NO₂) averaged above the UK annual objective`;
  if (no2.mean > limits.who) return `nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline`;
  return `nitrogen dioxide (NO₂) was below the World Health Organization (WHO) guideline`;
}

/** One sentence: the DAQI, then what matters about NO₂ (issue 8's example). */
function headline(facts: BriefingFacts): string {
  const { place } = facts;
  const period = periodLabel(facts.period.from, facts.period.to);
  const nearest = facts.nearest ? Math.min(...facts.devices.map((d) => d.distanceM ?? Number.POSITIVE_INFINITY)) : null;
  const where = nearest !== null && Number.isFinite(nearest) ? `at the nearest sensors, ${Math.round(nearest)} m away` : inPlace(place);
  const lead = facts.nearest ? `${place.name} has no sensors of its own. ` : '';
  const days = facts.daqiDays && daqiTotal(facts.daqiDays) > 0 ? facts.daqiDays : null;
  if (days) {
    const air = facts.nearest ? `${capitalise(where)}, air` : `Air ${where}`;
    const no2 = no2Phrase(facts.no2);
    return `${lead}${air} was ${daqiPhrase(days)}, ${period}${no2 ? `; ${no2}` : ''}.`;
  }
  const flow = facts.traffic?.meanFlow ?? null;
  if (flow !== null) {
    return `${lead}There is no air-quality data ${where} for ${period}; traffic averaged ${count(Math.round(flow), 'vehicle', 'vehicles')} an hour.`;
  }
  return `${lead}There is no sensor data ${where} for ${period}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function trafficFacts(traffic: TrafficFacts, previous: string): BriefingFact[] {
  const out: BriefingFact[] = [];
  if (traffic.meanFlow !== null) {
    const flow = (value: number) => `${Math.round(value).toLocaleString('en-GB')} vehicles an hour`;
    out.push({ label: 'Traffic', value: flow(traffic.meanFlow), detail: ['Motor vehicles, averaged over the day and night.', change(traffic.meanFlow, traffic.previousFlow, flow, previous)].filter(Boolean).join(' ') });
  }
  if (traffic.busiestHour) out.push({ label: 'Busiest hour', value: hourLabel(traffic.busiestHour.hour), detail: `${Math.round(traffic.busiestHour.flow).toLocaleString('en-GB')} vehicles an hour on average.` });
  if (traffic.congestion !== null) {
    const share = Math.round(traffic.congestion);
    const words = share >= 80 ? 'Traffic moved freely most of the time.' : share >= 60 ? 'Traffic was often slowed.' : 'Traffic was often congested.';
    out.push({ label: 'Speed', value: `${share}% of the night-time speed`, detail: `${words} 100% would be as fast as on an empty road at night.` });
  }
  return out;
}

function dataFacts(facts: BriefingFacts): BriefingFact[] {
  const { place } = facts;
  const out: BriefingFact[] = [];
  if (place.uprnCount !== null) {
    out.push({
      label: 'Addresses',
      value: count(place.uprnCount, 'address', 'addresses'),
      detail: `Properties with a Unique Property Reference Number (UPRN) ${place.kind === 'street' ? 'on the street' : 'in the ward'}.`,
    });
  }
  const air = facts.devices.filter((d) => d.kind === 'air_quality').length;
  const traffic = facts.devices.filter((d) => d.kind === 'traffic').length;
  const sensors = [air > 0 ? count(air, 'air-quality sensor', 'air-quality sensors') : null, traffic > 0 ? count(traffic, 'traffic counter', 'traffic counters') : null].filter(Boolean).join(' and ');
  const capture = facts.no2?.capture ?? facts.pm25?.capture ?? null;
  out.push({
    label: facts.nearest ? 'Nearest sensors' : 'Sensors',
    value: sensors || 'None',
    detail: [
      facts.nearest ? `None on the street; the nearest is ${Math.round(Math.min(...facts.devices.map((d) => d.distanceM ?? Number.POSITIVE_INFINITY)))} m away.` : null,
      capture !== null ? `${air === 1 ? 'It' : 'They'} sent ${formatNumber(capture, 0)}% of the air-quality readings expected (data capture).` : null,
    ]
      .filter(Boolean)
      .join(' ') || null,
  });
  out.push({ label: 'Period', value: periodLabel(facts.period.from, facts.period.to), detail: `${count(facts.period.days, 'day', 'days')}, UK time.` });
  return out;
}

function caveats(facts: BriefingFacts): string[] {
  const out: string[] = [];
  const lowCapture = [facts.no2, facts.pm25].filter((p): p is PollutantFacts => p !== null && p.capture !== null && p.capture < LOW_CAPTURE);
  if (lowCapture.length > 0) {
    const lowest = Math.min(...lowCapture.map((p) => p.capture as number));
    out.push(`The sensors sent only ${formatNumber(lowest, 0)}% of the readings expected. The figures may not be typical of the whole period.`);
  }
  if (facts.devices.some((d) => d.kind === 'air_quality')) {
    out.push("The air-quality sensors are low-cost. Their readings are a good guide, but not as accurate as the government's monitoring stations.");
  }
  if (facts.pm25?.mean !== null && facts.pm25 !== null) out.push('In humid weather (above about 85% humidity), low-cost sensors read particles (PM2.5) too high.');
  const airDevices = facts.devices.filter((d) => d.kind === 'air_quality').length;
  if (airDevices === 1) out.push(`There is only one air-quality sensor. It shows the air at one spot, not across the whole ${facts.place.kind}.`);
  if (airDevices === 0 && !facts.nearest) out.push(`There are no air-quality sensors ${inPlace(facts.place)}, so this briefing cannot say how clean the air is there.`);
  if (facts.nearest) out.push('These figures come from the nearest sensors, not from the street itself. The air on the street may be different.');
  if (facts.period.days < 365 && (facts.no2?.mean ?? facts.pm25?.mean ?? null) !== null) {
    out.push('The UK objectives are for a whole year. An average over a shorter time only shows whether the air is near them.');
  }
  return out;
}

const GLOSSARY: readonly { term: string; meaning: string; when: (facts: BriefingFacts) => boolean }[] = [
  { term: 'DAQI', meaning: "The Daily Air Quality Index: the government's scale from 1 to 10. 1 to 3 is Low, 4 to 6 Moderate, 7 to 9 High, 10 Very High.", when: (f) => f.daqiDays !== null },
  { term: 'µg/m³', meaning: 'Micrograms per cubic metre: how much of a pollutant is in the air.', when: (f) => f.no2 !== null || f.pm25 !== null },
  { term: 'UK objective', meaning: 'A level the law says the air should not go over. Councils must act where it does.', when: (f) => f.no2 !== null || f.pm25 !== null },
  { term: 'WHO guideline', meaning: 'The World Health Organization advises keeping pollution below these levels (2021). They are stricter than UK law.', when: (f) => f.no2 !== null || f.pm25 !== null },
  { term: 'UPRN', meaning: 'Unique Property Reference Number: the number every address in Great Britain has.', when: (f) => f.place.uprnCount !== null },
  { term: 'USRN', meaning: 'Unique Street Reference Number: the number every street in Great Britain has.', when: (f) => f.place.kind === 'street' },
];

/** The briefing's words from its figures. */
export function briefingText(facts: BriefingFacts): BriefingText {
  const previous = previousYearLabel(facts.period.from, facts.period.to);
  const sections: BriefingSection[] = [];
  const air = [...(facts.no2 ? pollutantFacts('no2', facts.no2, previous) : []), ...(facts.pm25 ? pollutantFacts('pm25', facts.pm25, previous) : [])];
  if (air.length > 0) sections.push({ id: 'air', heading: 'Air quality', facts: air });
  if (facts.daqiDays && daqiTotal(facts.daqiDays) > 0) {
    const days = facts.daqiDays;
    sections.push({
      id: 'daqi',
      heading: 'Daily Air Quality Index (DAQI)',
      facts: DAQI_BANDS.map((band) => ({ label: `${band} (${DAQI_BAND_RANGE[band].replace('–', ' to ')})`, value: count(days[band], 'day', 'days'), detail: null })),
    });
  }
  const traffic = facts.traffic ? trafficFacts(facts.traffic, previous) : [];
  if (traffic.length > 0) sections.push({ id: 'traffic', heading: 'Traffic', facts: traffic });
  sections.push({ id: 'data', heading: 'The data behind this briefing', facts: dataFacts(facts) });
  return {
    headline: headline(facts),
    sections,
    caveats: caveats(facts),
    glossary: GLOSSARY.filter((entry) => entry.when(facts)).map(({ term, meaning }) => ({ term, meaning })),
  };
}
