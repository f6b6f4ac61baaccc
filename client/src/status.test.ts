import { describe, expect, it } from 'vitest';
import { NO_DATA_COLOUR, deviceColour, deviceSummary, hexToRgb, indicativeDaqi, speedClass } from './status.js';
import { device, reading } from './testBuilders.js';

const monitor = device();
const counter = device({ id: 'tr-001', name: 'London Road traffic counter 1', kind: 'traffic' });

describe('hexToRgb', () => {
  it('reads #rrggbb in either case', () => {
    expect(hexToRgb('#000000')).toEqual([0, 0, 0]);
    expect(hexToRgb('#FFFFFF')).toEqual([255, 255, 255]);
    expect(hexToRgb('#9CFF9C')).toEqual([156, 255, 156]);
    expect(hexToRgb('#CE30FF')).toEqual([206, 48, 255]);
    expect(hexToRgb('#08306b')).toEqual([8, 48, 107]);
  });
});

describe('indicativeDaqi', () => {
  it('is the highest sub-index and names the pollutant that set it', () => {
    // NO2 150 is in 135–200 → 3; PM2.5 40 is in 36–41 → 4. PM2.5 sets 4, Moderate.
    expect(indicativeDaqi(reading({ values: { no2: 150, pm25: 40 } }))).toEqual({ index: 4, band: 'Moderate', pollutant: 'pm25' });
    // O3 130 is in 121–140 → 5; NO2 30 → 1; PM10 20 is in 17–33 → 2.
    expect(indicativeDaqi(reading({ values: { o3: 130, no2: 30, pm10: 20 } }))).toEqual({ index: 5, band: 'Moderate', pollutant: 'o3' });
  });

  it('ignores values that are not DAQI pollutants', () => {
    expect(indicativeDaqi(reading({ values: { no2: 30, temperature: 40, humidity: 99 } }))).toEqual({ index: 1, band: 'Low', pollutant: 'no2' });
    expect(indicativeDaqi(reading({ values: { temperature: 12, humidity: 80 } }))).toBeUndefined();
  });

  it('is undefined without a reading', () => {
    expect(indicativeDaqi(undefined)).toBeUndefined();
  });
});

describe('speedClass', () => {
  it('bands speeds with each class’s upper edge going to the next class', () => {
    expect(speedClass(0).label).toBe('under 10 km/h');
    expect(speedClass(9.99).label).toBe('under 10 km/h');
    expect(speedClass(10).label).toBe('10–20 km/h');
    expect(speedClass(19.99).label).toBe('10–20 km/h');
    expect(speedClass(20).label).toBe('20–30 km/h');
    expect(speedClass(44.99).label).toBe('30–45 km/h');
    expect(speedClass(45).label).toBe('45 km/h or more');
    expect(speedClass(130).label).toBe('45 km/h or more');
  });
});

describe('deviceColour', () => {
  it('gives air-quality devices the official DAQI colour of their indicative index', () => {
    // Index 4 (PM2.5 40) is #FFFF00; index 1 (NO2 20) is #9CFF9C; index 7 (PM10 80, 76–83) is #FF6464.
    expect(deviceColour(monitor, reading({ values: { no2: 150, pm25: 40 } }))).toEqual([255, 255, 0]);
    expect(deviceColour(monitor, reading({ values: { no2: 20 } }))).toEqual([156, 255, 156]);
    expect(deviceColour(monitor, reading({ values: { pm10: 80 } }))).toEqual([255, 100, 100]);
  });

  it('gives traffic devices the colour of their speed class', () => {
    expect(deviceColour(counter, reading({ deviceId: 'tr-001', values: { speed_kmh: 5 } }))).toEqual([8, 48, 107]); // #08306b
    expect(deviceColour(counter, reading({ deviceId: 'tr-001', values: { speed_kmh: 25 } }))).toEqual([107, 174, 214]); // #6baed6
    expect(deviceColour(counter, reading({ deviceId: 'tr-001', values: { speed_kmh: 50 } }))).toEqual([247, 251, 255]); // #f7fbff
  });

  it('is grey without a reading or without anything to colour by', () => {
    expect(NO_DATA_COLOUR).toEqual([160, 160, 160]);
    expect(deviceColour(monitor, undefined)).toEqual([160, 160, 160]);
    expect(deviceColour(monitor, reading({ values: { temperature: 12 } }))).toEqual([160, 160, 160]);
    expect(deviceColour(counter, undefined)).toEqual([160, 160, 160]);
    expect(deviceColour(counter, reading({ deviceId: 'tr-001', values: { cars_and_taxis: 12 } }))).toEqual([160, 160, 160]);
  });
});

describe('deviceSummary', () => {
  it('says when there is no reading yet', () => {
    expect(deviceSummary(monitor, undefined)).toBe('No reading yet');
    expect(deviceSummary(counter, undefined)).toBe('No reading yet');
  });

  it('gives air-quality devices their indicative DAQI and the pollutant that set it', () => {
    expect(deviceSummary(monitor, reading({ values: { no2: 150, pm25: 40 } }))).toBe('DAQI 4 Moderate (PM2.5), indicative');
    expect(deviceSummary(monitor, reading({ values: { no2: 150 } }))).toBe('DAQI 3 Low (NO₂), indicative');
    expect(deviceSummary(monitor, reading({ values: { temperature: 12 } }))).toBe('No pollutant values');
  });

  it('gives traffic devices their speed and hourly motor-vehicle flow', () => {
    // 20 vehicles in 60 s is 20 × 3600 / 60 = 1200 an hour; 31.6 km/h rounds to 32.
    const values = { cars_and_taxis: 20, speed_kmh: 31.6 };
    expect(deviceSummary(counter, reading({ deviceId: 'tr-001', values, periodS: 60 }))).toBe('32 km/h, 1200 motor vehicles/h');
  });

  it('does not count pedal cycles as motor vehicles', () => {
    // 15 cars + 4 LGVs + 1 HGV = 20 motor vehicles in 60 s → 1200/h; the 10 cycles are left out.
    const values = { pedal_cycles: 10, cars_and_taxis: 15, lgvs: 4, all_hgvs: 1, speed_kmh: 31.6 };
    expect(deviceSummary(counter, reading({ deviceId: 'tr-001', values, periodS: 60 }))).toBe('32 km/h, 1200 motor vehicles/h');
    expect(deviceSummary(counter, reading({ deviceId: 'tr-001', values: { pedal_cycles: 10, speed_kmh: 12.2 }, periodS: 60 }))).toBe('12 km/h');
  });

  it('takes the count period from the device when the reading has none', () => {
    // 20 vehicles over the device's 300 s interval is 20 × 3600 / 300 = 240 an hour.
    const slow = device({ id: 'tr-002', kind: 'traffic', expectedIntervalS: 300 });
    expect(deviceSummary(slow, reading({ deviceId: 'tr-002', values: { cars_and_taxis: 20 } }))).toBe('240 motor vehicles/h');
  });

  it('says when a traffic reading has nothing to show', () => {
    expect(deviceSummary(counter, reading({ deviceId: 'tr-001', values: { temperature: 12 } }))).toBe('No traffic values');
  });
});
