import { streetLabel } from '../../core/area.js';
import type { DeviceKind } from '../../core/device.js';
import type { LiveState } from './liveState.js';
import { pageOf, renderPager } from './tablePages.js';
import { NOT_KNOWN } from './deviceDetails.js';
import type { StreetStatus } from './streetStatus.js';

/**
 * The table alternative to the coloured streets: every street with sensors on it and the worst
 * latest reading of each kind, by name, a page at a time. A page is rebuilt whole when its text
 * changes: its rows have no controls to keep the focus on.
 */

export interface StreetRow {
  street: string;
  usrn: string;
  wards: string;
  sensors: string;
  airQuality: string;
  traffic: string;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** One row's text per street, sorted by street name then USRN. */
export function streetRows(statuses: ReadonlyMap<number, StreetStatus>, state: LiveState): StreetRow[] {
  // The worst reading and the device that gave it; a dash where the street has no device of the kind.
  const worstText = (street: StreetStatus, kind: DeviceKind): string => {
    const worst = street.worst[kind];
    if (street.devices[kind].length === 0) return '–';
    if (!worst) return 'No reading yet';
    return `${worst.label} (${state.devices.get(worst.deviceId)?.name ?? worst.deviceId})`;
  };
  return [...statuses.values()]
    .map((street) => ({ label: streetLabel(street), street }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.street.usrn - b.street.usrn)
    .map(({ label, street }) => {
      const parts: string[] = [];
      if (street.devices.air_quality.length > 0) parts.push(count(street.devices.air_quality.length, 'air-quality monitor', 'air-quality monitors'));
      if (street.devices.traffic.length > 0) parts.push(count(street.devices.traffic.length, 'traffic counter', 'traffic counters'));
      return {
        street: label,
        usrn: String(street.usrn),
        wards: street.wardNames.length > 0 ? street.wardNames.join(', ') : NOT_KNOWN,
        sensors: parts.join(', '),
        airQuality: worstText(street, 'air_quality'),
        traffic: worstText(street, 'traffic'),
      };
    });
}

const COLUMNS: [keyof StreetRow, string][] = [
  ['street', 'Street'],
  ['usrn', 'USRN'],
  ['wards', 'Ward'],
  ['sensors', 'Sensors'],
  ['airQuality', 'Worst air quality'],
  ['traffic', 'Slowest traffic'],
];

// What each table shows now, so an update that changes nothing on the page touches no element.
const renderedText = new WeakMap<HTMLTableElement, string>();

/**
 * One page of the streets (tablePages.ts), redrawn only when its text changes. `page` is the page
 * asked for; the one shown is returned (clamped when the list has shrunk).
 */
export function renderStreetTable(table: HTMLTableElement, allRows: readonly StreetRow[], pager: HTMLElement, page: number, onPage: (index: number) => void): number {
  const shown = pageOf(allRows.length, page);
  renderPager(pager, shown, onPage);
  const rows = allRows.slice(shown.start, shown.end);
  const key = rows.map((row) => COLUMNS.map(([column]) => row[column]).join('\t')).join('\n');
  if (renderedText.get(table) === key) return shown.index;
  renderedText.set(table, key);
  if (!table.tHead) {
    const head = table.createTHead().insertRow();
    for (const [, title] of COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
  }
  const body = table.tBodies[0] ?? table.createTBody();
  body.replaceChildren(
    ...rows.map((row) => {
      const tr = document.createElement('tr');
      COLUMNS.forEach(([key], i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.scope = 'row';
        cell.textContent = row[key];
        if (key === 'usrn') cell.className = 'number';
        tr.append(cell);
      });
      return tr;
    }),
  );
  return shown.index;
}
