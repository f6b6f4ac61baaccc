import { HOUR_MS } from '../../core/londonTime.js';

/**
 * The geometry of the 24-hour chart, apart from any canvas: the period, the scales, the ticks, the
 * runs of consecutive hours (a missing hour is a gap in the line, never a line across it) and the
 * words that describe it. Times are epoch milliseconds; labels are UK time.
 */

export interface HourValue {
  /** Start of the hour. */
  start: number;
  /** The hour's mean. */
  value: number;
}

export interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const CHART_HOURS = 24;

const HOUR_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const NUMBER_FORMAT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** The last `hours` hours, the one under way included (its mean so far): [from, to) on whole hours. */
export function chartPeriod(now: number, hours = CHART_HOURS): { from: number; to: number } {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS + HOUR_MS;
  return { from: to - hours * HOUR_MS, to };
}

/** Maps [d0, d1] onto [r0, r1]; an empty domain maps to the middle of the range. */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (value: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/** A step of 1, 2 or 5 × 10ⁿ that cuts `span` into about `count` pieces. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || count < 1) return 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / magnitude;
  // Rounded to the nearest on a log scale (as d3's tickStep): 10.25 becomes 10, not 20.
  const nice = fraction >= Math.sqrt(50) ? 10 : fraction >= Math.sqrt(10) ? 5 : fraction >= Math.sqrt(2) ? 2 : 1;
  return nice * magnitude;
}

/**
 * The value axis: from 0 (or below, for a negative value) to a round number at or above the
 * largest value, and the ticks on it. Concentrations and speeds read honestly only from zero.
 */
export function valueAxis(values: readonly number[], count = 4): { domain: [number, number]; ticks: number[] } {
  const low = Math.min(0, ...values);
  const high = Math.max(0, ...values);
  const step = niceStep(high - low || 1, count);
  // Counted in whole steps and rounded, so 3 × 0.1 is 0.3, not 0.30000000000000004.
  const at = (steps: number) => Number((steps * step).toPrecision(12));
  // A hair of slack: 0.035 / 0.005 is 7.000000000000001, which must not make an eighth step.
  const first = Math.floor(low / step + 1e-9);
  const last = high === low ? Math.round((low + 1) / step) : Math.ceil(high / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(at(i));
  return { domain: [at(first), at(last)], ticks };
}

/** Hours between time labels, so that labels about 36 px wide do not crowd each other. */
export function hourTickStep(plotWidth: number, hours = CHART_HOURS): number {
  const perHour = plotWidth / hours;
  return [1, 2, 3, 6, 12].find((step) => step * perHour >= 40) ?? 24;
}

/** Whole hours in [from, to] whose UK clock hour is a multiple of `step` (00:00, 06:00, 12:00 …). */
export function hourTicks(from: number, to: number, step: number): number[] {
  const ticks: number[] = [];
  for (let at = Math.ceil(from / HOUR_MS) * HOUR_MS; at <= to; at += HOUR_MS) {
    if (londonHour(at) % step === 0) ticks.push(at);
  }
  return ticks;
}

function londonHour(at: number): number {
  return Number(HOUR_FORMAT.format(at).slice(0, 2));
}

/** "14:00", UK time. */
export function clockLabel(at: number): string {
  return HOUR_FORMAT.format(at);
}

/** "14:00–15:00", UK time. */
export function hourLabel(start: number): string {
  return `${clockLabel(start)}–${clockLabel(start + HOUR_MS)}`;
}

/** Runs of consecutive hours, in time order: the line is drawn through each run, not across gaps. */
export function splitAtGaps(points: readonly HourValue[], stepMs = HOUR_MS): HourValue[][] {
  const runs: HourValue[][] = [];
  let run: HourValue[] = [];
  for (const point of [...points].sort((a, b) => a.start - b.start)) {
    const previous = run.at(-1);
    if (previous && point.start - previous.start > stepMs) {
      runs.push(run);
      run = [];
    }
    run.push(point);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Where each point goes in the plot box: at the middle of its hour, up by its value. */
export function pointPositions(points: readonly HourValue[], period: { from: number; to: number }, domain: readonly [number, number], box: Box): { x: number; y: number }[] {
  const x = linearScale([period.from, period.to], [box.left, box.right]);
  const y = linearScale(domain, [box.bottom, box.top]);
  return points.map((point) => ({ x: x(point.start + HOUR_MS / 2), y: y(point.value) }));
}

export function formatValue(value: number): string {
  return NUMBER_FORMAT.format(value);
}

/**
 * The chart in words, for its aria-label: "NO₂ hourly mean, last 24 hours: from 18 to 41 µg/m³,
 * latest 27 µg/m³ for 14:00–15:00 (so far); 6 of 24 hours have data."
 */
export function chartSummary(label: string, unit: string, points: readonly HourValue[], now: number, hours = CHART_HOURS): string {
  const head = `${label} hourly mean, last ${hours} hours`;
  if (points.length === 0) return `${head}: no data yet.`;
  const values = points.map((point) => point.value);
  const latest = [...points].sort((a, b) => a.start - b.start).at(-1) as HourValue;
  const soFar = now < latest.start + HOUR_MS ? ' (so far)' : '';
  const min = Math.min(...values);
  const max = Math.max(...values);
  const range = min === max ? `${formatValue(min)} ${unit}` : `from ${formatValue(min)} to ${formatValue(max)} ${unit}`;
  const count = `${points.length} of ${hours} hours ${points.length === 1 ? 'has' : 'have'} data`;
  return `${head}: ${range}, latest ${formatValue(latest.value)} ${unit} for ${hourLabel(latest.start)}${soFar}; ${count}.`;
}
