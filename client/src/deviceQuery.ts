import type { DeviceKind, LocatedDevice } from '../../core/device.js';
import type { Metric } from '../../core/metrics.js';
import type { LiveReading } from '../../core/reading.js';

/**
 * Which devices the table shows and in what order: a text filter, a kind filter and a sort column.
 * Pure: the table (deviceTable.ts) hands in the devices, their readings and the texts it shows.
 */

export const VALUE_COLUMNS = ['no2', 'pm25', 'pm10', 'o3', 'speed_kmh'] as const satisfies readonly Metric[];
export type ValueColumn = (typeof VALUE_COLUMNS)[number];

export type SortKey = 'name' | 'kind' | 'status' | 'ward' | 'street' | ValueColumn | 'time';
export type SortDirection = 'ascending' | 'descending';

export interface SortOrder {
  key: SortKey;
  direction: SortDirection;
}

export interface DeviceFilter {
  /** Words to find in the device's name, ward, street or USRN (all of them, in any order). */
  text: string;
  kind: DeviceKind | 'all';
}

export const DEFAULT_SORT: SortOrder = { key: 'name', direction: 'ascending' };
export const NO_FILTER: DeviceFilter = { text: '', kind: 'all' };

/** A device with what the table shows for it: the text columns sort by the text as shown. */
export interface DeviceRow {
  device: LocatedDevice;
  reading: LiveReading | undefined;
  kindText: string;
  status: string;
  ward: string;
  street: string;
}

const collator = new Intl.Collator('en-GB', { numeric: true, sensitivity: 'base' });

/** Clicking the sorted column again reverses it; another column starts ascending. */
export function nextSort(current: SortOrder, key: SortKey): SortOrder {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}

function words(text: string): string[] {
  return text.toLocaleLowerCase('en-GB').split(/\s+/).filter(Boolean);
}

export function matchesFilter(row: DeviceRow, filter: DeviceFilter): boolean {
  return matchesWords(row, filter.kind, words(filter.text));
}

/** matchesFilter with the filter's words already split, once for all the rows. */
function matchesWords(row: DeviceRow, kind: DeviceFilter['kind'], wanted: readonly string[]): boolean {
  if (kind !== 'all' && row.device.kind !== kind) return false;
  if (wanted.length === 0) return true;
  const { location } = row.device;
  const haystack = [row.device.name, row.ward, row.street, location.streetName ?? '', location.usrn === null ? '' : String(location.usrn)]
    .join(' ')
    .toLocaleLowerCase('en-GB');
  return wanted.every((word) => haystack.includes(word));
}

function numberFor(row: DeviceRow, key: ValueColumn | 'time'): number | undefined {
  if (!row.reading) return undefined;
  if (key === 'time') return Date.parse(row.reading.time);
  return row.reading.values[key];
}

function textFor(row: DeviceRow, key: Exclude<SortKey, ValueColumn | 'time'>): string {
  switch (key) {
    case 'name':
      return row.device.name;
    case 'kind':
      return row.kindText;
    case 'status':
      return row.status;
    case 'ward':
      return row.ward;
    case 'street':
      return row.street;
  }
}

function isNumeric(key: SortKey): key is ValueColumn | 'time' {
  return key === 'time' || (VALUE_COLUMNS as readonly string[]).includes(key);
}

/**
 * Orders two rows by the sort column. Numbers compare as numbers and a missing value goes last in
 * either direction (a blank is not small); ties fall back to the name, then the id, so the order
 * never depends on the order the rows came in.
 */
export function compareRows(a: DeviceRow, b: DeviceRow, sort: SortOrder): number {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  let result = 0;
  if (isNumeric(sort.key)) {
    const x = numberFor(a, sort.key);
    const y = numberFor(b, sort.key);
    if (x === undefined || y === undefined) {
      if (x !== y) return x === undefined ? 1 : -1;
    } else {
      result = sign * (x - y);
    }
  } else {
    result = sign * collator.compare(textFor(a, sort.key), textFor(b, sort.key));
  }
  return result || collator.compare(a.device.name, b.device.name) || (a.device.id < b.device.id ? -1 : a.device.id > b.device.id ? 1 : 0);
}

/** The rows to show, filtered and in order. The input is not changed. */
export function visibleRows(rows: readonly DeviceRow[], filter: DeviceFilter, sort: SortOrder): DeviceRow[] {
  const wanted = words(filter.text);
  return rows.filter((row) => matchesWords(row, filter.kind, wanted)).sort((a, b) => compareRows(a, b, sort));
}

/** "Showing 3 of 20 devices". */
export function countText(shown: number, total: number): string {
  return `Showing ${shown} of ${total} ${total === 1 ? 'device' : 'devices'}`;
}
