import { describe, expect, it } from 'vitest';
import { METRICS } from './metrics.js';
import { UGM3_PER_PPB, coordinateForName, metricForName, normaliseName, quantityOf, toSmartplaceUnit } from './quantities.js';

describe('metricForName', () => {
  it('knows every metric by its own name', () => {
    for (const metric of METRICS) expect(metricForName(metric)).toEqual({ metric });
  });

  it.each([
    ['NO2', 'no2'],
    ['nitrogen_dioxide', 'no2'],
    ['pm2_5', 'pm25'],
    ['pm2.5', 'pm25'],
    ['PM2.5', 'pm25'],
    ['PM10', 'pm10'],
    ['ozone', 'o3'],
    ['O₃', 'o3'],
    ['SO2', 'so2'],
    ['temp', 'temperature'],
    ['relative_humidity', 'humidity'],
    ['relativeHumidity', 'humidity'],
    ['rh', 'humidity'],
    ['cars', 'cars_and_taxis'],
    ['hgvs', 'all_hgvs'],
    ['speed', 'speed_kmh'],
  ])('maps %s to %s', (name, metric) => {
    expect(metricForName(name)).toEqual({ metric });
  });

  it.each([
    ['no2_ppb', 'no2', 'ppb'],
    ['no2_ugm3', 'no2', 'ug/m3'],
    ['o3Ppb', 'o3', 'ppb'],
    ['pm2_5_ugm3', 'pm25', 'ug/m3'],
    ['so2_ppm', 'so2', 'ppm'],
    ['temperature_c', 'temperature', 'Cel'],
    ['temp_k', 'temperature', 'K'],
    ['humidity_pct', 'humidity', '%'],
    ['speed_mph', 'speed_kmh', 'mph'],
    ['speed_ms', 'speed_kmh', 'm/s'],
  ])('takes the unit from the suffix of %s', (name, metric, unit) => {
    expect(metricForName(name)).toEqual({ metric, unit });
  });

  it.each(['battery', 'rssi', 'pressure', 'pm1', 'no2_constructor', 'constructor', 'toString', ''])('ignores %j', (name) => {
    expect(metricForName(name)).toBeUndefined();
  });
});

describe('normaliseName', () => {
  it('lower-cases, splits camelCase and turns punctuation into underscores', () => {
    expect(normaliseName(' PM2.5 ')).toBe('pm2_5');
    expect(normaliseName('relativeHumidity')).toBe('relative_humidity');
    expect(normaliseName('NO₂')).toBe('no2');
    expect(normaliseName('period-s')).toBe('period_s');
  });
});

describe('toSmartplaceUnit', () => {
  it('uses Defra’s factors at 20 °C and 1013 hPa for gases in ppb', () => {
    expect(UGM3_PER_PPB).toEqual({ no2: 1.91, o3: 2.0, so2: 2.66 });
    // 20 × 1.91 = 38.2; 25 × 2.00 = 50; 15 × 2.66 = 39.9
    expect(toSmartplaceUnit('no2', 20, 'ppb')).toEqual({ ok: true, value: 38.2 });
    expect(toSmartplaceUnit('o3', 25, 'ppb')).toEqual({ ok: true, value: 50 });
    expect(toSmartplaceUnit('so2', 15, 'ppb')).toEqual({ ok: true, value: 39.9 });
  });

  it('turns ppm into ppb first', () => {
    // 0.021 ppm = 21 ppb; 21 × 1.91 = 40.11
    expect(toSmartplaceUnit('no2', 0.021, 'ppm')).toEqual({ ok: true, value: 40.11 });
  });

  it.each([
    ['ug/m3', 12.5],
    ['µg/m³', 12.5],
    ['μg/m³', 12.5],
    ['ug/m^3', 12.5],
    [' µg / m³ ', 12.5],
    ['mg/m3', 12_500],
  ])('reads particles in %s', (unit, expected) => {
    expect(toSmartplaceUnit('pm25', 12.5, unit)).toEqual({ ok: true, value: expected });
  });

  it('cannot convert particles from ppb', () => {
    expect(toSmartplaceUnit('pm10', 12, 'ppb')).toEqual({ ok: false, detail: 'pm10 is in "ppb", which cannot be converted to µg/m³' });
  });

  it.each([
    ['Cel', 9.5, 9.5],
    ['°C', 9.5, 9.5],
    ['K', 282.65, 9.5],
    ['°F', 50, 10],
  ])('reads temperatures in %s', (unit, value, expected) => {
    expect(toSmartplaceUnit('temperature', value, unit)).toEqual({ ok: true, value: expected });
  });

  it('reads humidity, counts and speeds in their units', () => {
    expect(toSmartplaceUnit('humidity', 81, '%RH')).toEqual({ ok: true, value: 81 });
    expect(toSmartplaceUnit('humidity', 81, '%')).toEqual({ ok: true, value: 81 });
    expect(toSmartplaceUnit('cars_and_taxis', 41, 'count')).toEqual({ ok: true, value: 41 });
    expect(toSmartplaceUnit('lgvs', 9, '1')).toEqual({ ok: true, value: 9 });
    expect(toSmartplaceUnit('all_hgvs', 2, 'vehicles')).toEqual({ ok: true, value: 2 });
    expect(toSmartplaceUnit('speed_kmh', 42, 'km/h')).toEqual({ ok: true, value: 42 });
    // 12.5 m/s × 3.6 = 45 km/h; 24.5 mph × 1.609344 = 39.428928 km/h
    expect(toSmartplaceUnit('speed_kmh', 12.5, 'm/s')).toEqual({ ok: true, value: 45 });
    expect(toSmartplaceUnit('speed_kmh', 24.5, 'mph')).toEqual({ ok: true, value: 39.428928 });
  });

  it('takes a value without a unit as already in the Smartplace unit', () => {
    expect(toSmartplaceUnit('no2', 31.2)).toEqual({ ok: true, value: 31.2 });
    expect(toSmartplaceUnit('no2', 31.2, ' ')).toEqual({ ok: true, value: 31.2 });
  });

  it('refuses units it does not know, or that do not fit the metric', () => {
    expect(toSmartplaceUnit('no2', 1, 'mol/m3')).toMatchObject({ ok: false });
    expect(toSmartplaceUnit('humidity', 1, 'Cel')).toMatchObject({ ok: false });
    expect(toSmartplaceUnit('cars_and_taxis', 1, 'km/h')).toMatchObject({ ok: false });
  });
});

describe('quantityOf', () => {
  it('maps a name and converts its value', () => {
    expect(quantityOf('no2_ppb', 20)).toEqual({ ok: true, metric: 'no2', value: 38.2 });
    expect(quantityOf('NO2', 20, 'ppb')).toEqual({ ok: true, metric: 'no2', value: 38.2 });
  });

  it('lets an explicit unit win over the name’s suffix', () => {
    expect(quantityOf('no2_ppb', 38.2, 'ug/m3')).toEqual({ ok: true, metric: 'no2', value: 38.2 });
    expect(quantityOf('no2_ppb', 20, '')).toEqual({ ok: true, metric: 'no2', value: 38.2 });
  });

  it('says why a unit cannot be converted, and ignores other fields', () => {
    expect(quantityOf('pm25', 5, 'ppb')).toEqual({ ok: false, metric: 'pm25', detail: 'pm25 is in "ppb", which cannot be converted to µg/m³' });
    expect(quantityOf('battery', 3.6, 'V')).toBeUndefined();
  });
});

describe('coordinateForName', () => {
  it('knows latitude and longitude by their usual names', () => {
    expect(['lat', 'Latitude', 'LAT'].map(coordinateForName)).toEqual(['lat', 'lat', 'lat']);
    expect(['lon', 'lng', 'long', 'longitude'].map(coordinateForName)).toEqual(['lon', 'lon', 'lon', 'lon']);
    expect(coordinateForName('altitude')).toBeUndefined();
  });
});
