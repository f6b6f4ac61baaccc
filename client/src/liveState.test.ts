import { describe, expect, it } from 'vitest';
import type { LiveReading } from '../../core/reading.js';
import { applyReadings, applySnapshot, emptyState, type LiveState } from './liveState.js';
import { device, reading as baseReading } from './testBuilders.js';

function reading(overrides: Partial<LiveReading> = {}): LiveReading {
  return baseReading({ values: { no2: 30 }, ...overrides });
}

const aq1 = device();
const aq2 = device({ id: 'aq-002' });

/** A state holding both devices and the given readings. */
function stateWith(...readings: LiveReading[]): LiveState {
  return applySnapshot(emptyState, { devices: [aq1, aq2], latest: readings });
}

describe('applySnapshot', () => {
  it('takes the devices and readings of the first snapshot', () => {
    const r1 = reading();
    const state = stateWith(r1);
    expect([...state.devices.keys()]).toEqual(['aq-001', 'aq-002']);
    expect(state.devices.get('aq-002')).toBe(aq2);
    expect([...state.latest.entries()]).toEqual([['aq-001', r1]]);
  });

  it('keeps a live reading that is fresher than the snapshot’s', () => {
    const live = reading({ time: '2026-11-24T10:05:00Z', values: { no2: 41 } });
    const stale = reading({ time: '2026-11-24T10:00:00Z', values: { no2: 30 } });
    const state = applySnapshot(stateWith(live), { devices: [aq1, aq2], latest: [stale] });
    expect(state.latest.get('aq-001')).toBe(live);
  });

  it('takes the snapshot’s reading when it is the fresher one', () => {
    const old = reading({ time: '2026-11-24T10:00:00Z' });
    const fresh = reading({ time: '2026-11-24T10:05:00Z', values: { no2: 41 } });
    const state = applySnapshot(stateWith(old), { devices: [aq1, aq2], latest: [fresh] });
    expect(state.latest.get('aq-001')).toBe(fresh);
  });

  it('drops readings of devices the snapshot no longer lists, and ignores readings of unlisted devices', () => {
    const r2 = reading({ deviceId: 'aq-002' });
    const stray = reading({ deviceId: 'aq-999' });
    const state = applySnapshot(stateWith(reading(), r2), { devices: [aq1], latest: [stray] });
    expect([...state.devices.keys()]).toEqual(['aq-001']);
    expect([...state.latest.keys()]).toEqual(['aq-001']);
  });

  it('leaves the state it was given untouched', () => {
    const before = stateWith(reading());
    applySnapshot(before, { devices: [aq2], latest: [reading({ deviceId: 'aq-002' })] });
    expect([...before.devices.keys()]).toEqual(['aq-001', 'aq-002']);
    expect([...before.latest.keys()]).toEqual(['aq-001']);
  });
});

describe('applyReadings', () => {
  it('replaces a reading with a newer one', () => {
    const newer = reading({ time: '2026-11-24T10:01:00Z', values: { no2: 35 } });
    const state = applyReadings(stateWith(reading()), [newer]);
    expect(state.latest.get('aq-001')).toBe(newer);
  });

  it('never lets an older reading replace a newer one', () => {
    const current = reading({ time: '2026-11-24T10:01:00Z' });
    const state = applyReadings(stateWith(current), [reading({ time: '2026-11-24T10:00:00Z', values: { no2: 99 } })]);
    expect(state.latest.get('aq-001')).toBe(current);
  });

  it('compares instants, not strings: 10:00+01:00 is older than 09:30Z', () => {
    const current = reading({ time: '2026-11-24T09:30:00Z' });
    const state = applyReadings(stateWith(current), [reading({ time: '2026-11-24T10:00:00+01:00', values: { no2: 99 } })]);
    expect(state.latest.get('aq-001')).toBe(current);
  });

  it('keeps the newest of an out-of-order batch', () => {
    const newest = reading({ time: '2026-11-24T10:02:00Z', values: { no2: 32 } });
    const state = applyReadings(stateWith(), [newest, reading({ time: '2026-11-24T10:01:00Z', values: { no2: 31 } })]);
    expect(state.latest.get('aq-001')).toBe(newest);
  });

  it('adds a first reading for a device and keeps the others', () => {
    const r1 = reading();
    const r2 = reading({ deviceId: 'aq-002', values: { no2: 12 } });
    const state = applyReadings(stateWith(r1), [r2]);
    expect(state.latest.get('aq-001')).toBe(r1);
    expect(state.latest.get('aq-002')).toBe(r2);
  });

  it('returns the very same state when nothing changed', () => {
    const current = reading({ time: '2026-11-24T10:01:00Z' });
    const state = stateWith(current);
    expect(applyReadings(state, [])).toBe(state);
    expect(applyReadings(state, [reading({ time: '2026-11-24T10:00:00Z' })])).toBe(state);
    // A redelivery of the same reading is not newer.
    expect(applyReadings(state, [{ ...current }])).toBe(state);
  });

  it('returns a new state and leaves the old one untouched when something changed', () => {
    const current = reading();
    const state = stateWith(current);
    const next = applyReadings(state, [reading({ time: '2026-11-24T10:01:00Z' })]);
    expect(next).not.toBe(state);
    expect(next.devices).toBe(state.devices);
    expect(state.latest.get('aq-001')).toBe(current);
  });
});
