import { describe, expect, it } from 'vitest';
import type { LiveState } from './liveState.js';
import { device, location } from './testBuilders.js';
import { WARD_SHADING, shadingClass, wardValues } from './wardShading.js';

describe('ward shading', () => {
  it('means the latest values of the devices in each ward that have the metric', () => {
    const devices = [
      device({ id: 'a', location: location({ wardCode: 'W1' }) }),
      device({ id: 'b', location: location({ wardCode: 'W1' }) }),
      device({ id: 'c', location: location({ wardCode: 'W1' }) }),
      device({ id: 'd', location: location({ wardCode: 'W2' }) }),
      device({ id: 'e', location: location({ wardCode: null }) }),
    ];
    const time = '2026-11-22T10:00:00.000Z';
    const state: LiveState = {
      devices: new Map(devices.map((d) => [d.id, d])),
      latest: new Map([
        ['a', { deviceId: 'a', time, values: { no2: 30 } }],
        ['b', { deviceId: 'b', time, values: { no2: 45 } }],
        ['c', { deviceId: 'c', time, values: { pm25: 9 } }],
        ['e', { deviceId: 'e', time, values: { no2: 99 } }],
      ]),
    };
    expect(wardValues(state, 'no2')).toEqual(new Map([['W1', { mean: 37.5, devices: 2 }]]));
  });

  it('puts a value on a break in the class above it, and labels breaks by the numbers people know', () => {
    expect(shadingClass('no2', 39.9).label).toBe('30–40 (UK objective 40)');
    expect(shadingClass('no2', 40).label).toBe('40 or more (over the UK objective)');
    expect(WARD_SHADING.pm25.map((entry) => entry.label)).toEqual([
      '0–5 (WHO guideline 5)',
      '5–10 (2040 target 10)',
      '10–15',
      '15–20 (UK objective 20)',
      '20 or more (over the UK objective)',
    ]);
  });

  it('shades slow traffic darkest', () => {
    expect(shadingClass('speed_kmh', 5).colour).toBe('#54278f');
    expect(shadingClass('speed_kmh', 60).colour).toBe('#f2f0f7');
  });
});
