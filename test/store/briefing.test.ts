import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AreaGeography } from '../../core/area.js';
import { PropertiesRepository } from '../../db/propertiesRepository.js';
import { ALTRINCHAM, BOWDON, BROADHEATH, COMPARE_NOW, COMPARE_STREETS, OAKFIELD_ROAD, seedCompareData, STAMFORD_ROAD, WARD_NAMES } from '../support/compareData.js';
import { startTestDatabase, type TestDatabase } from '../support/database.js';
import { startStoreApp, type StoreApp } from '../support/storeApp.js';

/**
 * Briefings through the HTTP API on test/support/compareData.ts's February: a ward's and a street's
 * figures are the ward comparison's for the same period, the words are core/briefing.ts's, and a
 * street without sensors takes the nearest ones, with their distance.
 */


const area: AreaGeography = {
  name: 'Test borough',
  synthetic: true,
  notice: null,
  attribution: 'Contains OS data © Crown copyright and database right 2026',
  bounds: [-2.4, 53.35, -2.3, 53.42],
  wards: {
    type: 'FeatureCollection',
    features: [ALTRINCHAM, BOWDON, BROADHEATH].map((code, i) => ({
      type: 'Feature',
      properties: { code, name: WARD_NAMES[code] as string },
      geometry: { type: 'Polygon', coordinates: [[[-2.4 + i * 0.03, 53.35], [-2.37 + i * 0.03, 53.35], [-2.37 + i * 0.03, 53.42], [-2.4 + i * 0.03, 53.35]]] },
    })),
  },
  streets: COMPARE_STREETS,
};

let t: TestDatabase;
let app: StoreApp;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, checked field by field
async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${app.base}${path}`);
  return { status: response.status, body: await response.json() };
}

const FEBRUARY = '?period=custom&from=2026-02-01&to=2026-02-28';

beforeAll(async () => {
  t = await startTestDatabase();
  await seedCompareData(t.pool);
  await new PropertiesRepository(t.pool).replaceLinks({ uprns: Float64Array.from([100012345678]), usrns: Float64Array.from([STAMFORD_ROAD]) });
  app = await startStoreApp(t.pool, () => area, { now: () => COMPARE_NOW });
}, 240_000);

afterAll(async () => {
  app?.close();
  await t?.destroy();
});

describe('a ward briefing', () => {
  it('says the headline, and every number is the ward comparison’s for the same period', async () => {
    const { status, body } = await get(`/briefings/ward/${ALTRINCHAM}${FEBRUARY}`);
    expect(status).toBe(200);
    expect(body.place).toEqual({ kind: 'ward', id: ALTRINCHAM, name: 'Altrincham', ward: null, uprnCount: null });
    expect(body.period).toEqual({ preset: 'custom', from: '2026-02-01', to: '2026-02-28', days: 28, label: '1 to 28 February 2026' });
    expect(body.headline).toBe(
      'Air in Altrincham was Low on the Daily Air Quality Index (DAQI 1–3) on all 28 days with data, 1 to 28 February 2026; nitrogen dioxide (NO₂) was above the World Health Organization (WHO) guideline.',
    );
    const compare = (await get(`/wards/compare${FEBRUARY}&metric=no2&wards=${ALTRINCHAM},${BOWDON}`)).body.wards[0];
    const air = body.sections.find((s: { id: string }) => s.id === 'air').facts;
    expect(air[0]).toMatchObject({ label: 'Average nitrogen dioxide (NO₂)', value: `${compare.mean.toFixed(1)} µg/m³` });
    expect(air[1]).toMatchObject({ value: `${compare.ukExceedances} hours` });
    expect(body.daqiDays).toEqual(compare.daqiDays);
    const traffic = body.sections.find((s: { id: string }) => s.id === 'traffic').facts;
    expect(traffic.map((f: { label: string; value: string }) => `${f.label}: ${f.value}`)).toEqual([
      'Traffic: 300 vehicles an hour',
      // Every hour carries 300 vehicles: the first is the busiest.
      'Busiest hour: 00:00 to 01:00',
      'Speed: 60% of the night-time speed',
    ]);
    expect(body.devices.map((d: { id: string }) => d.id).sort()).toEqual(['aq-a1', 'aq-a2', 'tr-a1']);
    expect(body.nearest).toBe(false);
    expect(body.charts.trend.points).toHaveLength(28);
    expect(body.charts.trend.points[0]).toEqual({ date: '2026-02-01', value: 30 });
    expect(body.charts.trend.reference).toEqual({ value: 40, label: 'UK annual objective' });
    expect(body.charts.dailyPattern.hours).toHaveLength(24);
    expect(body.charts.dailyPattern.hours[8]).toEqual({ hour: 8, value: 30 });
    expect(body.map.place.geometry.type).toBe('Polygon');
    expect(body.licence).toContain('Open Government Licence');
    expect(body.generatedAt).toBe(COMPARE_NOW.toISOString());
  });

  it('says plainly when a ward has no sensors', async () => {
    const { body } = await get(`/briefings/ward/${BROADHEATH}${FEBRUARY}`);
    expect(body.headline).toBe('There is no sensor data in Broadheath for 1 to 28 February 2026.');
    expect(body.charts).toEqual({ trend: null, dailyPattern: null });
  });
});

describe('a street briefing', () => {
  it("uses the street's own sensor, with its addresses", async () => {
    const { body } = await get(`/briefings/street/${STAMFORD_ROAD}${FEBRUARY}`);
    expect(body.place).toEqual({ kind: 'street', id: String(STAMFORD_ROAD), name: 'Stamford Road', ward: { code: BOWDON, name: 'Bowdon' }, uprnCount: 42 });
    expect(body.nearest).toBe(false);
    expect(body.devices.map((d: { id: string; distanceM: number | null }) => [d.id, d.distanceM])).toEqual([['aq-b1', null]]);
    // 648 of February's 672 hours.
    expect(body.devices[0].capture).toBeCloseTo((100 * 648) / 672, 10);
    const air = body.sections.find((s: { id: string }) => s.id === 'air').facts;
    // The comparison's Bowdon: 13,600 µg/m³ over 648 valid hours; two hours over 200.
    expect(air[0].value).toBe('21.0 µg/m³');
    expect(air[1].value).toBe('2 hours');
    expect(body.sections.find((s: { id: string }) => s.id === 'data').facts[0]).toEqual({ label: 'Addresses', value: '42 addresses', detail: 'Properties with a Unique Property Reference Number (UPRN) on the street.' });
    expect(body.caveats).toContain('There is only one air-quality sensor. It shows the air at one spot, not across the whole street.');
    // And the store's own objectives endpoint says the same for that device and those days.
    const store = (await get('/devices/aq-b1/objectives?from=2026-02-01&to=2026-02-28')).body.devices[0].objectives;
    const of = (id: string) => store.find((o: { id: string }) => o.id === id);
    expect(`${of('uk.no2.annual').value.toFixed(1)} µg/m³`).toBe(air[0].value);
    expect(`${of('uk.no2.1h').value} hours`).toBe(air[1].value);
  });

  it('takes the nearest sensors for a street without any, and says how far they are', async () => {
    const { body } = await get(`/briefings/street/${OAKFIELD_ROAD}${FEBRUARY}`);
    expect(body.nearest).toBe(true);
    expect(body.devices).toHaveLength(3);
    for (const device of body.devices) expect(device.distanceM).toBeCloseTo(150, 0);
    expect(body.headline).toMatch(/^Oakfield Road has no sensors of its own\. At the nearest sensors, 150 m away, air was Low on the Daily Air Quality Index \(DAQI 1–3\)/);
    expect(body.caveats).toContain('These figures come from the nearest sensors, not from the street itself. The air on the street may be different.');
  });
});

describe('finding a place', () => {
  it('suggests wards and streets by name, and finds a street by its USRN or a property on it by UPRN', async () => {
    expect((await get('/search?q=alt')).body.results[0]).toEqual({ kind: 'ward', id: ALTRINCHAM, label: 'Altrincham', detail: `Ward (${ALTRINCHAM})`, href: `/briefing/ward/${ALTRINCHAM}` });
    // A word that starts with it comes before a name that merely contains it.
    expect((await get('/search?q=road')).body.results.map((r: { label: string }) => r.label)).toEqual(['Oakfield Road', 'Stamford Road', 'Broadheath']);
    expect((await get(`/search?q=${STAMFORD_ROAD}`)).body.results[0]).toMatchObject({ kind: 'street', label: 'Stamford Road', href: `/briefing/street/${STAMFORD_ROAD}` });
    expect((await get('/search?q=100012345678')).body.results).toEqual([
      { kind: 'property', id: '100012345678', label: 'UPRN 100012345678', detail: 'Property on Stamford Road', href: `/briefing/street/${STAMFORD_ROAD}` },
    ]);
    expect((await get('/search?q=zzzz')).body.results).toEqual([]);
  });
});

describe('bad requests', () => {
  it.each([
    ['/briefings/ward/E05999999', 404, 'api.ward_not_found'],
    ['/briefings/ward/nonsense', 400, 'api.invalid_ward_code'],
    ['/briefings/street/99999999', 404, 'api.street_not_found'],
    ['/briefings/street/0', 400, 'api.invalid_usrn'],
    [`/briefings/ward/${ALTRINCHAM}?period=custom&from=2026-02-01`, 400, 'api.invalid_query'],
    ['/search?q=a', 400, 'api.invalid_query'],
  ])('%s is a %i %s', async (path, status, code) => {
    const answer = await get(path);
    expect(answer.status).toBe(status);
    expect(answer.body.error.code).toBe(code);
  });
});
