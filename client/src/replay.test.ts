import { describe, expect, it } from 'vitest';
import type { ReplayAnswer } from '../../core/replay.js';
import { bannerText, hourAt, hourOf, isOutOfDate, LIVE_POSITION, positionLabel, positionValueText, replayPeriod, replayState } from './replay.js';
import { deviceSummary } from './status.js';
import { device } from './testBuilders.js';

const at = (iso: string) => Date.parse(iso);
// 14:20 UK time on 24 November (GMT): the replay covers 14:00 yesterday to 14:00 today.
const NOW = at('2026-11-24T14:20:00Z');

describe('positions', () => {
  const period = replayPeriod(NOW);

  it('covers the 24 whole hours before the one under way, as /replay does', () => {
    expect(period).toEqual({ from: at('2026-11-23T14:00:00Z'), to: at('2026-11-24T14:00:00Z') });
  });

  it('gives each position its hour, oldest first, and the last one to live', () => {
    expect(hourAt(0, period)).toBe(at('2026-11-23T14:00:00Z'));
    expect(hourAt(23, period)).toBe(at('2026-11-24T13:00:00Z'));
    expect(hourAt(LIVE_POSITION, period)).toBeNull();
  });

  it('reads as the hour in UK time, saying which day when it is not today', () => {
    expect(positionLabel(0, period, NOW)).toBe('14:00–15:00 yesterday');
    expect(positionLabel(23, period, NOW)).toBe('13:00–14:00');
    expect(positionLabel(LIVE_POSITION, period, NOW)).toBe('Live');
    expect(positionValueText(23, period, NOW)).toBe('13:00 to 14:00, UK time, hourly means');
    expect(positionValueText(LIVE_POSITION, period, NOW)).toBe('Live');
  });

  it('uses UK summer time', () => {
    const june = at('2026-06-10T09:30:00Z'); // 10:30 BST
    const summer = replayPeriod(june);
    expect(positionLabel(23, summer, june)).toBe('09:00–10:00');
    expect(positionLabel(0, summer, june)).toBe('10:00–11:00 yesterday');
  });

  it('says in the banner what is replayed and that live updates are paused', () => {
    expect(bannerText(at('2026-11-24T13:00:00Z'), NOW)).toBe('Replaying 13:00–14:00 (hourly means) — live updates paused');
    expect(bannerText(at('2026-11-23T22:00:00Z'), NOW)).toBe('Replaying 22:00–23:00 yesterday (hourly means) — live updates paused');
  });
});

describe('replayed answers', () => {
  const answer: ReplayAnswer = {
    from: '2026-11-24T12:00:00.000Z',
    to: '2026-11-24T14:00:00.000Z',
    hours: [
      { hour: '2026-11-24T12:00:00.000Z', readings: [] },
      {
        hour: '2026-11-24T13:00:00.000Z',
        readings: [
          { deviceId: 'aq-001', values: { no2: 20, pm25: 5.5 }, readings: 2 },
          { deviceId: 'tr-001', values: { cars_and_taxis: 900, all_hgvs: 60, speed_kmh: 35 }, readings: 6 },
          { deviceId: 'gone', values: { no2: 1 }, readings: 1 },
        ],
      },
    ],
  };

  it('is out of date once another hour has ended', () => {
    expect(isOutOfDate(answer, NOW)).toBe(false);
    expect(isOutOfDate(answer, at('2026-11-24T15:00:00Z'))).toBe(true);
  });

  it('finds an hour by its start', () => {
    expect(hourOf(answer, at('2026-11-24T13:00:00Z'))?.readings).toHaveLength(3);
    expect(hourOf(answer, at('2026-11-24T11:00:00Z'))).toBeUndefined();
  });

  it('turns an hour into a state: the known devices, each with the hour’s means as its reading', () => {
    const aq = device({ id: 'aq-001' });
    const traffic = device({ id: 'tr-001', kind: 'traffic', expectedIntervalS: 300 });
    const silent = device({ id: 'aq-002' });
    const devices = new Map([aq, traffic, silent].map((d) => [d.id, d]));
    const state = replayState(devices, answer.hours[1] as ReplayAnswer['hours'][number]);
    expect(state.devices).toBe(devices);
    expect([...state.latest.keys()]).toEqual(['aq-001', 'tr-001']);
    expect(state.latest.get('aq-001')).toEqual({ deviceId: 'aq-001', time: '2026-11-24T13:00:00.000Z', values: { no2: 20, pm25: 5.5 }, periodS: 3600 });
    // The hour's flows read as flows, whatever the counter's own interval.
    expect(deviceSummary(traffic, state.latest.get('tr-001'))).toBe('35 km/h, 960 motor vehicles/h');
    expect(deviceSummary(silent, state.latest.get('aq-002'))).toBe('No reading yet');
  });

  it('leaves the answer alone', () => {
    const before = JSON.stringify(answer);
    const state = replayState(new Map([['aq-001', device()]]), answer.hours[1] as ReplayAnswer['hours'][number]);
    (state.latest.get('aq-001')?.values as Record<string, number>).no2 = 999;
    expect(JSON.stringify(answer)).toBe(before);
  });
});
