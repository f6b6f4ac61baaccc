import { describe, expect, it } from 'vitest';
import { NO_LOCATION } from '../../core/device.js';
import { deviceDetails, formatDistance } from './deviceDetails.js';
import { device, location, reading } from './testBuilders.js';

/** The fields as a term → description record, for readable assertions. */
function details(...args: Parameters<typeof deviceDetails>): Record<string, string> {
  return Object.fromEntries(deviceDetails(...args).map(({ term, description }) => [term, description]));
}

const USRN = 'USRN (Unique Street Reference Number)';
const UPRN = 'Nearest property: UPRN (Unique Property Reference Number)';

describe('formatDistance', () => {
  it('rounds to the metre and never says 0 m', () => {
    expect(formatDistance(3.4)).toBe('3 m away');
    expect(formatDistance(3.5)).toBe('4 m away');
    expect(formatDistance(0.4)).toBe('under 1 m away');
    expect(formatDistance(0)).toBe('under 1 m away');
    expect(formatDistance(1234.4)).toBe('1,234 m away');
  });
});

describe('deviceDetails', () => {
  it('gives the ward, street, USRN and nearest UPRN with rounded distances', () => {
    const fields = details(device(), undefined);
    expect(fields).toMatchObject({
      Ward: 'Brookside',
      'Ward code': 'X05000002',
      Street: 'London Road, 3 m away',
      [USRN]: '99000001',
      [UPRN]: '100012345678, 18 m away',
    });
  });

  it('says "Not known" for every location part that is null', () => {
    const fields = details(device({ location: NO_LOCATION }), undefined);
    expect(fields).toMatchObject({ Ward: 'Not known', 'Ward code': 'Not known', Street: 'Not known', [USRN]: 'Not known', [UPRN]: 'Not known' });
  });

  it('names an unnamed street by its USRN and leaves out a distance it does not have', () => {
    const fields = details(device({ location: location({ streetName: null, streetDistanceM: null, uprnDistanceM: null }) }), undefined);
    expect(fields.Street).toBe('Unnamed street (USRN 99000001)');
    expect(fields[UPRN]).toBe('100012345678');
  });

  it('lists the location after the status, and spells out each abbreviation in its term', () => {
    const terms = deviceDetails(device(), undefined).map((field) => field.term);
    expect(terms).toEqual(['Type', 'Status', 'Last reading', 'Ward', 'Ward code', 'Street', USRN, UPRN]);
  });

  it('shows the summary, the reading time in UK time and each latest value with its unit', () => {
    // 10:00 UTC on 24 June is 11:00 British Summer Time.
    const fields = details(device(), reading({ time: '2026-06-24T10:00:00Z', values: { no2: 41.46, pm25: 12, temperature: 18.25 } }));
    expect(fields).toMatchObject({
      Type: 'Air quality',
      Status: 'DAQI 2 Low (PM2.5), indicative',
      'Last reading': '24 Jun 2026, 11:00:00 (UK time)',
      'Nitrogen dioxide (NO₂)': '41.5 µg/m³',
      'Fine particles (PM2.5)': '12 µg/m³',
      Temperature: '18.3 °C',
    });
  });

  it('says when there is no reading yet', () => {
    expect(details(device({ kind: 'traffic' }), undefined)).toMatchObject({ Type: 'Traffic', Status: 'No reading yet', 'Last reading': 'No reading yet' });
  });

  it('says what a missing reading means when told (a replayed hour)', () => {
    expect(details(device(), undefined, 'No reading this hour')).toMatchObject({ Status: 'No reading this hour', 'Last reading': 'No reading this hour' });
  });
});
