import { describe, expect, it } from 'vitest';
import type { LocatedDevice } from '../../core/device.js';
import type { LiveReading } from '../../core/reading.js';
import { compareRows, countText, matchesFilter, nextSort, NO_FILTER, visibleRows, type DeviceRow } from './deviceQuery.js';
import { device, location, reading } from './testBuilders.js';

function row(deviceOverrides: Partial<LocatedDevice>, latest?: Partial<LiveReading>, texts: Partial<DeviceRow> = {}): DeviceRow {
  const d = device(deviceOverrides);
  return {
    device: d,
    reading: latest ? reading({ deviceId: d.id, ...latest }) : undefined,
    kindText: d.kind === 'air_quality' ? 'Air quality' : 'Traffic',
    status: '',
    ward: d.location.wardName ?? 'Not known',
    street: d.location.streetName ?? 'Not known',
    ...texts,
  };
}

const ids = (rows: DeviceRow[]) => rows.map((r) => r.device.id);

describe('nextSort', () => {
  it('starts a new column ascending and reverses the same column', () => {
    expect(nextSort({ key: 'name', direction: 'ascending' }, 'no2')).toEqual({ key: 'no2', direction: 'ascending' });
    expect(nextSort({ key: 'no2', direction: 'ascending' }, 'no2')).toEqual({ key: 'no2', direction: 'descending' });
    expect(nextSort({ key: 'no2', direction: 'descending' }, 'no2')).toEqual({ key: 'no2', direction: 'ascending' });
    expect(nextSort({ key: 'no2', direction: 'descending' }, 'ward')).toEqual({ key: 'ward', direction: 'ascending' });
  });
});

describe('sorting', () => {
  const rows = [
    row({ id: 'a', name: 'Alpha' }, { values: { no2: 9.5 } }),
    row({ id: 'b', name: 'Bravo' }, { values: { no2: 41 } }),
    row({ id: 'c', name: 'Charlie' }),
    row({ id: 'd', name: 'Delta' }, { values: { no2: 100 } }),
    row({ id: 'e', name: 'Echo' }, { values: { pm25: 3 } }),
  ];

  it('sorts numbers as numbers (9.5 before 41 before 100), with missing values last either way', () => {
    expect(ids(visibleRows(rows, NO_FILTER, { key: 'no2', direction: 'ascending' }))).toEqual(['a', 'b', 'd', 'c', 'e']);
    expect(ids(visibleRows(rows, NO_FILTER, { key: 'no2', direction: 'descending' }))).toEqual(['d', 'b', 'a', 'c', 'e']);
  });

  it('sorts by the time of the latest reading, devices without one last', () => {
    const timed = [
      row({ id: 'x', name: 'X' }, { time: '2026-11-24T10:00:05Z' }),
      row({ id: 'y', name: 'Y' }),
      row({ id: 'z', name: 'Z' }, { time: '2026-11-24T09:59:59Z' }),
    ];
    expect(ids(visibleRows(timed, NO_FILTER, { key: 'time', direction: 'descending' }))).toEqual(['x', 'z', 'y']);
  });

  it('sorts text in natural order, ignoring case, and breaks ties by name', () => {
    const named = [
      row({ id: '1', name: 'monitor 10' }, undefined, { ward: 'Brookside' }),
      row({ id: '2', name: 'Monitor 9' }, undefined, { ward: 'Abbey' }),
      row({ id: '3', name: 'monitor 2' }, undefined, { ward: 'Abbey' }),
    ];
    expect(ids(visibleRows(named, NO_FILTER, { key: 'name', direction: 'ascending' }))).toEqual(['3', '2', '1']);
    expect(ids(visibleRows(named, NO_FILTER, { key: 'ward', direction: 'ascending' }))).toEqual(['3', '2', '1']);
    expect(ids(visibleRows(named, NO_FILTER, { key: 'ward', direction: 'descending' }))).toEqual(['1', '3', '2']);
  });

  it('is a total order: equal rows compare by id', () => {
    const [p, q] = [row({ id: 'p', name: 'Same' }), row({ id: 'q', name: 'Same' })] as [DeviceRow, DeviceRow];
    expect(compareRows(p, q, { key: 'no2', direction: 'ascending' })).toBeLessThan(0);
    expect(compareRows(q, p, { key: 'no2', direction: 'descending' })).toBeGreaterThan(0);
  });

  it('leaves its input alone', () => {
    const copy = [...rows];
    visibleRows(rows, NO_FILTER, { key: 'no2', direction: 'descending' });
    expect(rows).toEqual(copy);
  });
});

describe('filtering', () => {
  const station = row({ id: 'aq-1', name: 'Station Road air monitor 3', location: location({ wardName: 'Riverside', streetName: 'Station Road', usrn: 99000123 }) }, undefined, {
    ward: 'Riverside',
    street: 'Station Road',
  });
  const counter = row({ id: 'tr-1', name: 'Mill Lane traffic counter 1', kind: 'traffic', location: location({ wardName: 'Abbey', streetName: 'Mill Lane', usrn: 99000456 }) }, undefined, {
    ward: 'Abbey',
    street: 'Mill Lane',
  });

  it.each([
    ['station', ['aq-1']],
    ['  STATION   road ', ['aq-1']],
    ['abbey', ['tr-1']],
    ['99000456', ['tr-1']],
    ['99000', ['aq-1', 'tr-1']],
    ['road mill', []],
    ['', ['aq-1', 'tr-1']],
  ])('"%s" matches %j (name, ward, street or USRN; every word)', (text, expected) => {
    expect([station, counter].filter((r) => matchesFilter(r, { text, kind: 'all' })).map((r) => r.device.id)).toEqual(expected);
  });

  it('filters by kind, together with the text', () => {
    expect(matchesFilter(counter, { text: '', kind: 'traffic' })).toBe(true);
    expect(matchesFilter(station, { text: '', kind: 'traffic' })).toBe(false);
    expect(matchesFilter(station, { text: 'station', kind: 'air_quality' })).toBe(true);
    expect(matchesFilter(station, { text: 'mill', kind: 'air_quality' })).toBe(false);
  });
});

describe('countText', () => {
  it('says how many of how many', () => {
    expect(countText(3, 20)).toBe('Showing 3 of 20 devices');
    expect(countText(0, 1)).toBe('Showing 0 of 1 device');
  });
});
