import { streetLabel } from '../../core/area.js';
import type { LocatedDevice } from '../../core/device.js';
import { METRIC_INFO, type Metric } from '../../core/metrics.js';
import { NOT_KNOWN } from './deviceDetails.js';
import type { LiveState } from './liveState.js';
import { KIND_LABEL, deviceSummary } from './status.js';

/**
 * The table view of the map: every device, its status, where it is and its latest values. It is the
 * accessible alternative to the map, and is kept in step with it by the same state.
 */

const VALUE_COLUMNS: Metric[] = ['no2', 'pm25', 'pm10', 'o3', 'speed_kmh'];
const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit' });

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

/** The street a device is on, as the table shows it. */
export function deviceStreet({ location }: LocatedDevice): string {
  if (location.usrn === null) return location.streetName ?? NOT_KNOWN;
  return streetLabel({ usrn: location.usrn, name: location.streetName });
}

function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

function newRow(id: string, onSelect: (id: string) => void): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.deviceId = id;
  const nameCell = document.createElement('th');
  nameCell.scope = 'row';
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link-button';
  button.addEventListener('click', () => onSelect(id));
  nameCell.append(button);
  row.append(nameCell);
  for (const className of ['', '', '', '', ...VALUE_COLUMNS.map(() => 'number'), 'number']) row.append(cell('', className || undefined));
  return row;
}

/**
 * Updates the rows in place rather than rebuilding them: readings arrive every few seconds, and a
 * rebuilt row would take the keyboard focus away from whoever is on its button.
 */
export function renderDeviceTable(table: HTMLTableElement, state: LiveState, onSelect: (id: string) => void, selectedId: string | null): void {
  if (!table.tHead) {
    const head = table.createTHead().insertRow();
    const titles = ['Device', 'Type', 'Status', 'Ward', 'Street', ...VALUE_COLUMNS.map((metric) => `${METRIC_INFO[metric].label} (${METRIC_INFO[metric].unit})`), 'Last reading'];
    for (const title of titles) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
  }
  const body = table.tBodies[0] ?? table.createTBody();
  const existing = new Map([...body.rows].map((row) => [row.dataset.deviceId as string, row]));
  const devices = [...state.devices.values()].sort((a, b) => a.name.localeCompare(b.name));
  devices.forEach((device, position) => {
    const reading = state.latest.get(device.id);
    const row = existing.get(device.id) ?? newRow(device.id, onSelect);
    existing.delete(device.id);
    const selected = device.id === selectedId;
    if (selected) row.setAttribute('aria-selected', 'true');
    else row.removeAttribute('aria-selected');
    const button = row.cells[0]?.firstElementChild as HTMLButtonElement;
    setText(button, device.name);
    button.setAttribute('aria-pressed', String(selected));
    const texts = [
      KIND_LABEL[device.kind],
      deviceSummary(device, reading),
      device.location.wardName ?? NOT_KNOWN,
      deviceStreet(device),
      ...VALUE_COLUMNS.map((metric) => {
        const value = reading?.values[metric];
        return value === undefined ? '–' : value.toFixed(1);
      }),
      reading ? TIME_FORMAT.format(new Date(reading.time)) : '–',
    ];
    texts.forEach((text, i) => setText(row.cells[i + 1] as HTMLTableCellElement, text));
    // Move a row only when it is out of place: moving a node takes the focus off it.
    if (body.rows[position] !== row) body.insertBefore(row, body.rows[position] ?? null);
  });
  for (const gone of existing.values()) gone.remove();
}
