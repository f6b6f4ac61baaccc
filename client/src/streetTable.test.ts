import { describe, expect, it } from 'vitest';
import type { LocatedDevice } from '../../core/device.js';
import type { LiveReading } from '../../core/reading.js';
import { applySnapshot, emptyState } from './liveState.js';
import { streetStatuses } from './streetStatus.js';
import { streetRows } from './streetTable.js';
import { device, location, reading } from './testBuilders.js';

function rows(devices: LocatedDevice[], latest: LiveReading[]) {
  const state = applySnapshot(emptyState, { devices, latest });
  return streetRows(streetStatuses(state), state);
}

describe('streetRows', () => {
  it('gives each street with sensors its worst readings, naming the device that gave each', () => {
    const result = rows(
      [
        device({ id: 'aq-001', name: 'London Road air monitor 1', location: location({ usrn: 99_000_001, streetName: 'London Road', wardName: 'Brookside' }) }),
        device({ id: 'tr-001', name: 'London Road traffic counter 1', kind: 'traffic', location: location({ usrn: 99_000_001, streetName: 'London Road', wardName: 'Riverside' }) }),
      ],
      [reading({ deviceId: 'aq-001', values: { no2: 150 } }), reading({ deviceId: 'tr-001', values: { speed_kmh: 23.6 } })],
    );
    expect(result).toEqual([
      {
        street: 'London Road',
        usrn: '99000001',
        wards: 'Brookside, Riverside',
        sensors: '1 air-quality monitor, 1 traffic counter',
        airQuality: 'DAQI 3 Low, indicative (London Road air monitor 1)',
        traffic: '24 km/h (London Road traffic counter 1)',
      },
    ]);
  });

  it('says which kinds a street has no sensor of, and which have no reading yet', () => {
    const [row] = rows(
      [
        device({ id: 'aq-001', location: location({ usrn: 5 }) }),
        device({ id: 'aq-002', location: location({ usrn: 5 }) }),
      ],
      [],
    );
    expect(row).toMatchObject({ sensors: '2 air-quality monitors', airQuality: 'No reading yet', traffic: '–' });
  });

  it('sorts by street name, names unnamed streets by USRN, and says when no ward is known', () => {
    const result = rows(
      [
        device({ id: 'aq-001', location: location({ usrn: 7, streetName: 'Mill Lane' }) }),
        device({ id: 'aq-002', location: location({ usrn: 3, streetName: null, wardName: null }) }),
        device({ id: 'aq-003', location: location({ usrn: 4, streetName: 'Church Lane' }) }),
      ],
      [],
    );
    expect(result.map((row) => row.street)).toEqual(['Church Lane', 'Mill Lane', 'Unnamed street (USRN 3)']);
    expect(result[2]?.wards).toBe('Not known');
  });
});
