import { describe, expect, it } from 'vitest';
import type { LocatedDevice } from '../../core/device.js';
import type { LiveReading } from '../../core/reading.js';
import { applySnapshot, emptyState } from './liveState.js';
import { streetStatuses } from './streetStatus.js';
import { device, location, reading } from './testBuilders.js';

const LONDON_ROAD = 99_000_001;
const MILL_LANE = 99_000_020;

function statuses(devices: LocatedDevice[], latest: LiveReading[]) {
  return streetStatuses(applySnapshot(emptyState, { devices, latest }));
}

const aq = (id: string, usrn: number | null, overrides: Partial<LocatedDevice> = {}) =>
  device({ id, name: id, kind: 'air_quality', location: location({ usrn }), ...overrides });
const tr = (id: string, usrn: number | null, overrides: Partial<LocatedDevice> = {}) =>
  device({ id, name: id, kind: 'traffic', location: location({ usrn }), ...overrides });

describe('streetStatuses', () => {
  it('gives a street the highest indicative DAQI of its air-quality devices, in the official colour', () => {
    // NO2 30 → index 1; PM10 80 (76–83) → index 7, #FF6464.
    const result = statuses(
      [aq('aq-001', LONDON_ROAD), aq('aq-002', LONDON_ROAD)],
      [reading({ deviceId: 'aq-001', values: { no2: 30 } }), reading({ deviceId: 'aq-002', values: { pm10: 80 } })],
    );
    expect(result.get(LONDON_ROAD)?.worst.air_quality).toEqual({ deviceId: 'aq-002', colour: [255, 100, 100], label: 'DAQI 7 High, indicative' });
    expect(result.get(LONDON_ROAD)?.worst.traffic).toBeNull();
  });

  it('gives a street the slowest speed of its traffic counters, in its speed-class colour', () => {
    const result = statuses(
      [tr('tr-001', LONDON_ROAD), tr('tr-002', LONDON_ROAD)],
      [reading({ deviceId: 'tr-001', values: { speed_kmh: 48 } }), reading({ deviceId: 'tr-002', values: { speed_kmh: 12.4 } })],
    );
    expect(result.get(LONDON_ROAD)?.worst.traffic).toEqual({ deviceId: 'tr-002', colour: [33, 113, 181], label: '12 km/h' }); // #2171b5
  });

  it('colours by congestion once a counter’s free-flow speed is known, and keeps the busiest counter’s flow', () => {
    const devices = [tr('tr-001', LONDON_ROAD), tr('tr-002', LONDON_ROAD, { expectedIntervalS: 300 })];
    const latest = [
      // 120 cars in 60 s is 7,200 an hour; 100 cars and 20 buses in 300 s is 1,440 an hour.
      reading({ deviceId: 'tr-001', values: { speed_kmh: 40, cars_and_taxis: 120 }, periodS: 60 }),
      reading({ deviceId: 'tr-002', values: { speed_kmh: 19, cars_and_taxis: 100, buses_and_coaches: 20 } }),
    ];
    // tr-002: 19 ÷ 48 = 0.40, the floor of "congested" (0.4 ≤ ratio < 0.6).
    const street = streetStatuses(applySnapshot(emptyState, { devices, latest }), { 'tr-002': 47.5 }).get(LONDON_ROAD);
    expect(street?.worst.traffic).toEqual({ deviceId: 'tr-002', colour: [33, 113, 181], label: 'Congested: 19 km/h (free-flow 48 km/h)' });
    expect(street?.trafficFlow).toBe(7200);
  });

  it('keeps air quality and traffic apart on a street that has both', () => {
    const result = statuses(
      [aq('aq-001', LONDON_ROAD), tr('tr-001', LONDON_ROAD)],
      [reading({ deviceId: 'aq-001', values: { no2: 150 } }), reading({ deviceId: 'tr-001', values: { speed_kmh: 5 } })],
    );
    const street = result.get(LONDON_ROAD);
    expect(street?.devices).toEqual({ air_quality: ['aq-001'], traffic: ['tr-001'] });
    expect(street?.worst.air_quality?.label).toBe('DAQI 3 Low, indicative');
    expect(street?.worst.traffic?.label).toBe('5 km/h');
  });

  it('lists a street whose devices have no usable reading, with no worst reading', () => {
    const result = statuses([aq('aq-001', MILL_LANE), tr('tr-001', MILL_LANE)], [reading({ deviceId: 'aq-001', values: { temperature: 12 } })]);
    expect(result.get(MILL_LANE)?.devices).toEqual({ air_quality: ['aq-001'], traffic: ['tr-001'] });
    expect(result.get(MILL_LANE)?.worst).toEqual({ air_quality: null, traffic: null });
  });

  it('leaves out devices with no street, so streets without devices have no entry', () => {
    const result = statuses([aq('aq-001', null), aq('aq-002', MILL_LANE)], [reading({ deviceId: 'aq-001', values: { no2: 555 } })]);
    expect([...result.keys()]).toEqual([MILL_LANE]);
  });

  it('breaks a tie by device id, whatever order the devices came in', () => {
    const devices = [aq('aq-009', LONDON_ROAD), aq('aq-003', LONDON_ROAD)];
    const latest = [reading({ deviceId: 'aq-009', values: { no2: 30 } }), reading({ deviceId: 'aq-003', values: { no2: 31 } })];
    expect(statuses(devices, latest).get(LONDON_ROAD)?.worst.air_quality?.deviceId).toBe('aq-003');
    expect(statuses([...devices].reverse(), latest).get(LONDON_ROAD)?.worst.air_quality?.deviceId).toBe('aq-003');
  });

  it('takes the street name from its devices and lists every ward they are in', () => {
    const result = statuses(
      [
        aq('aq-001', LONDON_ROAD, { location: location({ usrn: LONDON_ROAD, streetName: null, wardName: 'Riverside' }) }),
        aq('aq-002', LONDON_ROAD, { location: location({ usrn: LONDON_ROAD, streetName: 'London Road', wardName: 'Brookside' }) }),
        tr('tr-001', LONDON_ROAD, { location: location({ usrn: LONDON_ROAD, streetName: 'London Road', wardName: 'Riverside' }) }),
      ],
      [],
    );
    expect(result.get(LONDON_ROAD)?.name).toBe('London Road');
    expect(result.get(LONDON_ROAD)?.wardNames).toEqual(['Brookside', 'Riverside']);
  });
});
