import { describe, expect, it } from 'vitest';
import { METRICS, METRIC_INFO, allMotorVehicles, hourlyFlow } from './metrics.js';

describe('traffic arithmetic', () => {
  it('counts motor vehicles as every class but pedal cycles', () => {
    expect(allMotorVehicles({ pedal_cycles: 5, two_wheeled_motor_vehicles: 1, cars_and_taxis: 40, buses_and_coaches: 2, lgvs: 8, all_hgvs: 3 })).toBe(54);
  });

  it('has no motor-vehicle total without motor-vehicle counts', () => {
    expect(allMotorVehicles({ pedal_cycles: 5, speed_kmh: 30 })).toBeUndefined();
    expect(allMotorVehicles({ cars_and_taxis: 0 })).toBe(0);
  });

  it('turns a count over a period into vehicles per hour', () => {
    expect(hourlyFlow(20, 60)).toBe(1200);
    expect(hourlyFlow(150, 900)).toBe(600);
  });
});

describe('METRIC_INFO', () => {
  it('describes every metric with a sensible range', () => {
    for (const metric of METRICS) {
      const info = METRIC_INFO[metric];
      expect(info.max).toBeGreaterThan(info.min);
      expect(info.unit.length).toBeGreaterThan(0);
    }
  });
});
