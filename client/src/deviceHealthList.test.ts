import { describe, expect, it } from 'vitest';
import { healthOf, silentDevices } from './deviceHealthList.js';
import type { LiveState } from './liveState.js';
import { device as locatedDevice } from './testBuilders.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('silentDevices', () => {
  it('lists offline, then late, then never-reported devices, longest silent first', () => {
    const devices = ['fresh', 'late', 'gone', 'gone-longer', 'never'].map((id) => locatedDevice({ id, name: id, expectedIntervalS: 60 }));
    const state: LiveState = {
      devices: new Map(devices.map((device) => [device.id, device])),
      latest: new Map(
        (
          [
            ['fresh', 1],
            ['late', 3],
            ['gone', 31],
            ['gone-longer', 300],
          ] as const
        ).map(([id, minutes]) => [id, { deviceId: id, time: ago(minutes), values: { no2: 1 } }]),
      ),
    };
    const silent = silentDevices(state, healthOf(state, { offlineAfterS: 1800 }, NOW));
    expect(silent.map((s) => [s.device.id, s.text])).toEqual([
      ['gone-longer', 'Offline: nothing for 5 h'],
      ['gone', 'Offline: nothing for 31 min'],
      ['late', 'Late: nothing for 3 min'],
      ['never', 'No reading yet'],
    ]);
  });
});
