import { describe, expect, it } from 'vitest';
import { chartMetrics } from './deviceChart.js';
import { device, reading } from './testBuilders.js';

describe('chartMetrics', () => {
  it('offers an air-quality device’s pollutants, NO₂ first, and NO₂ before it has reported', () => {
    expect(chartMetrics(device(), undefined)).toEqual(['no2']);
    expect(chartMetrics(device(), reading({ values: { pm10: 20, no2: 30, temperature: 12, pm25: 8 } }))).toEqual(['no2', 'pm25', 'pm10']);
    expect(chartMetrics(device(), reading({ values: { o3: 60, humidity: 80 } }))).toEqual(['o3']);
  });

  it('charts a traffic counter’s mean speed', () => {
    expect(chartMetrics(device({ kind: 'traffic' }), reading({ values: { speed_kmh: 30, cars_and_taxis: 12 } }))).toEqual(['speed_kmh']);
  });
});
