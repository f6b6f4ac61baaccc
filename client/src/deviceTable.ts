import type { Device } from '../../core/device.js';
import { METRIC_INFO, type Metric } from '../../core/metrics.js';
import type { LiveState } from './liveState.js';
import { deviceSummary } from './status.js';

/**
 * The table view of the map: every device, its status and latest values. It is the accessible
 * alternative to the map, and is kept in step with it by the same state.
 */

const VALUE_COLUMNS: Metric[] = ['no2', 'pm25', 'pm10', 'o3', 'speed_kmh'];
const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit' });

const KIND_LABEL: Record<Device['kind'], string> = { air_quality: 'Air quality', traffic: 'Traffic' };

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function renderDeviceTable(table: HTMLTableElement, state: LiveState, onSelect: (id: string) => void, selectedId: string | null): void {
  if (!table.tHead) {
    const head = table.createTHead().insertRow();
    for (const title of ['Device', 'Type', 'Status', ...VALUE_COLUMNS.map((metric) => `${METRIC_INFO[metric].label} (${METRIC_INFO[metric].unit})`), 'Last reading']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = title;
      head.append(th);
    }
  }
  const body = table.tBodies[0] ?? table.createTBody();
  const rows: HTMLTableRowElement[] = [];
  for (const device of [...state.devices.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const reading = state.latest.get(device.id);
    const row = document.createElement('tr');
    row.dataset.deviceId = device.id;
    if (device.id === selectedId) row.setAttribute('aria-selected', 'true');
    const nameCell = document.createElement('th');
    nameCell.scope = 'row';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link-button';
    button.textContent = device.name;
    button.addEventListener('click', () => onSelect(device.id));
    nameCell.append(button);
    row.append(nameCell, cell(KIND_LABEL[device.kind]), cell(deviceSummary(device, reading)));
    for (const metric of VALUE_COLUMNS) {
      const value = reading?.values[metric];
      row.append(cell(value === undefined ? '–' : value.toFixed(1), 'number'));
    }
    row.append(cell(reading ? TIME_FORMAT.format(new Date(reading.time)) : '–', 'number'));
    rows.push(row);
  }
  body.replaceChildren(...rows);
}
