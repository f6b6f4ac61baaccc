import { streetLabel } from '../../core/area.js';
import type { DeviceKind } from '../../core/device.js';
import type { LiveState } from './liveState.js';
import { NOT_KNOWN } from './deviceDetails.js';
import type { StreetStatus } from './streetStatus.js';

/**
 * The table alternative to the coloured streets: every street with sensors on it and the worst
 * latest reading of each kind, by name. Rebuilt whole: it has no controls to keep the focus on.
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

export function renderStreetTable(table: HTMLTableElement, rows: readonly StreetRow[]): void {
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
}
