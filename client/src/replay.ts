import type { LocatedDevice } from '../../core/device.js';
import { HOUR_MS, londonDate } from '../../core/londonTime.js';
import type { LiveReading } from '../../core/reading.js';
import type { ReplayAnswer, ReplayHour } from '../../core/replay.js';
import { hourLabel } from './chartGeometry.js';
import type { LiveState } from './liveState.js';

/**
 * The time slider's rules: which hour each position stands for, what it says, and the state the
 * map and table show for a replayed hour. The slider has one position per replayed hour, oldest
 * first, and a last position for live.
 */

export const REPLAY_HOURS = 24;
export const LIVE_POSITION = REPLAY_HOURS;
/** A replayed device's status when it sent nothing in the hour ("No reading yet" would mislead). */
export const NO_READING_THIS_HOUR = 'No reading this hour';

export interface Period {
  from: number;
  to: number;
}

/** The whole hours before the one under way, as the server's /replay counts them. */
export function replayPeriod(now: number, hours = REPLAY_HOURS): Period {
  const to = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { from: to - hours * HOUR_MS, to };
}

export function periodOf(answer: ReplayAnswer): Period {
  return { from: Date.parse(answer.from), to: Date.parse(answer.to) };
}

/** The start of the hour at a slider position, or null for live. */
export function hourAt(position: number, period: Period): number | null {
  const start = period.from + position * HOUR_MS;
  return position < 0 || start >= period.to ? null : start;
}

/** "" for an hour that started today (UK time), " yesterday" for one that started yesterday. */
function dayWord(start: number, now: number): string {
  const day = londonDate(start);
  if (day === londonDate(now)) return '';
  return day === londonDate(now - 24 * HOUR_MS) ? ' yesterday' : ` on ${day}`;
}

/** What the slider's position reads as, on screen: "14:00–15:00 yesterday", or "Live". */
export function positionLabel(position: number, period: Period, now: number): string {
  const start = hourAt(position, period);
  return start === null ? 'Live' : `${hourLabel(start)}${dayWord(start, now)}`;
}

/** The slider's aria-valuetext: "14:00 to 15:00 yesterday, UK time, hourly means", or "Live". */
export function positionValueText(position: number, period: Period, now: number): string {
  const start = hourAt(position, period);
  if (start === null) return 'Live';
  return `${positionLabel(position, period, now).replace('–', ' to ')}, UK time, hourly means`;
}

/** "Replaying 14:00–15:00 (hourly means) — live updates paused". */
export function bannerText(start: number, now: number): string {
  return `Replaying ${hourLabel(start)}${dayWord(start, now)} (hourly means) — live updates paused`;
}

/** An answer to fetch again: fetched before the last hour ended, so it lacks that hour. */
export function isOutOfDate(answer: ReplayAnswer, now: number): boolean {
  return Date.parse(answer.to) !== replayPeriod(now).to;
}

/** The hour of an answer that starts at `start`, if it has it. */
export function hourOf(answer: ReplayAnswer, start: number): ReplayHour | undefined {
  return answer.hours.find((hour) => Date.parse(hour.hour) === start);
}

/**
 * What the map and table show for a replayed hour: the devices the page knows, each with the
 * hour's means as its reading (an hour long, so traffic counts read as the flows they are). A
 * device without readings that hour has none; one the page does not know is left out.
 */
export function replayState(devices: ReadonlyMap<string, LocatedDevice>, hour: ReplayHour): LiveState {
  const latest = new Map<string, LiveReading>();
  for (const entry of hour.readings) {
    if (!devices.has(entry.deviceId)) continue;
    latest.set(entry.deviceId, { deviceId: entry.deviceId, time: new Date(Date.parse(hour.hour)).toISOString(), values: { ...entry.values }, periodS: 3600 });
  }
  return { devices, latest };
}
