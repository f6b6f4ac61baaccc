import { streetLabel } from '../../core/area.js';
import type { LocatedDevice } from '../../core/device.js';
import { HEALTH_TEXT, formatSilence, type DeviceHealth } from '../../core/deviceHealth.js';
import { METRIC_INFO } from '../../core/metrics.js';
import { NOT_KNOWN } from './deviceDetails.js';
import { countText, DEFAULT_SORT, nextSort, VALUE_COLUMNS, visibleRows, type DeviceFilter, type DeviceRow, type SortKey, type SortOrder } from './deviceQuery.js';
import type { LiveState } from './liveState.js';
import { pageHolding, pageOf, renderPager } from './tablePages.js';
import { KIND_LABEL, deviceSummary } from './status.js';

/**
 * The table view of the map: every device, its status, where it is and its latest values, sortable
 * by any column and filtered by text and kind. It is the accessible alternative to the map, and is
 * kept in step with it by the same state.
 */

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', second: '2-digit' });

const COLUMNS: readonly { key: SortKey; title: string; numeric: boolean }[] = [
  { key: 'name', title: 'Device', numeric: false },
  { key: 'kind', title: 'Type', numeric: false },
  { key: 'status', title: 'Status', numeric: false },
  { key: 'ward', title: 'Ward', numeric: false },
  { key: 'street', title: 'Street', numeric: false },
  ...VALUE_COLUMNS.map((metric) => ({ key: metric, title: `${METRIC_INFO[metric].label} (${METRIC_INFO[metric].unit})`, numeric: true })),
  { key: 'time', title: 'Last reading', numeric: true },
];

const KIND_FILTERS: readonly DeviceFilter['kind'][] = ['all', 'air_quality', 'traffic'];

export interface DeviceTableElements {
  table: HTMLTableElement;
  /** The `<input type="search">` whose words a device must match. */
  filter: HTMLInputElement;
  /** The `<select>` of kinds: all, air_quality, traffic. */
  kind: HTMLSelectElement;
  /** A `role="status"` element for "Showing N of M devices". */
  count: HTMLElement;
  /** A <nav> for the Previous / Next page buttons. */
  pager: HTMLElement;
  onSelect: (id: string) => void;
}

/** What the live view adds to a device's status: whether it is late or offline, and whether it is live at all. */
export interface LiveStatus {
  health: ReadonlyMap<string, DeviceHealth>;
  /** Devices the server is not sending (a kind switched off, or outside the view on a large estate). */
  notLive: ReadonlySet<string>;
}

export interface DeviceTable {
  /** `noReading` is the status of a device without a reading (a replayed hour's says so). */
  render(state: LiveState, selectedId: string | null, noReading?: string, live?: LiveStatus): void;
}

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
  for (const column of COLUMNS.slice(1)) row.append(cell('', column.numeric ? 'number' : undefined));
  return row;
}

/** Column headers as buttons: a click (or Enter, or Space) sorts by the column, again reverses it. */
function buildHead(table: HTMLTableElement, onSort: (key: SortKey) => void): void {
  const head = table.createTHead().insertRow();
  for (const column of COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.dataset.sortKey = column.key;
    if (column.numeric) th.className = 'number';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    const icon = document.createElement('span');
    icon.className = 'sort-icon';
    icon.setAttribute('aria-hidden', 'true');
    button.append(column.title, icon);
    button.addEventListener('click', () => onSort(column.key));
    th.append(button);
    head.append(th);
  }
}

function showSort(table: HTMLTableElement, sort: SortOrder): void {
  for (const th of table.tHead?.rows[0]?.cells ?? []) {
    const sorted = th.dataset.sortKey === sort.key;
    if (sorted) th.setAttribute('aria-sort', sort.direction);
    else th.removeAttribute('aria-sort');
    const icon = th.querySelector<HTMLElement>('.sort-icon');
    if (icon) setText(icon, sorted ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕');
  }
}

/** "Offline, silent 42 min: DAQI 2 Low (NO₂), indicative", "Not live (not shown on the map): …". */
export function liveStatusText(device: LocatedDevice, summary: string, live: LiveStatus | undefined): string {
  const prefixes: string[] = [];
  const health = live?.health.get(device.id);
  if (health && (health.state === 'late' || health.state === 'offline') && health.silentForS !== null) {
    prefixes.push(`${HEALTH_TEXT[health.state]}, silent ${formatSilence(health.silentForS)}`);
  }
  if (live?.notLive.has(device.id)) prefixes.push('Not live (not shown on the map)');
  return prefixes.length === 0 ? summary : `${prefixes.join('; ')}: ${summary}`;
}

function rowOf(device: LocatedDevice, state: LiveState, noReading: string | undefined, live: LiveStatus | undefined): DeviceRow {
  const reading = state.latest.get(device.id);
  return {
    device,
    reading,
    kindText: KIND_LABEL[device.kind],
    status: !reading && noReading !== undefined ? noReading : liveStatusText(device, deviceSummary(device, reading), live),
    ward: device.location.wardName ?? NOT_KNOWN,
    street: deviceStreet(device),
  };
}

function readFilter(elements: DeviceTableElements): DeviceFilter {
  const kind = KIND_FILTERS.find((value) => value === elements.kind.value) ?? 'all';
  return { text: elements.filter.value, kind };
}

export function createDeviceTable(elements: DeviceTableElements): DeviceTable {
  const { table, onSelect } = elements;
  let sort = DEFAULT_SORT;
  // A browser may restore the form on reload: start from what the controls say.
  let filter = readFilter(elements);
  let last: { state: LiveState; selectedId: string | null; noReading: string | undefined; live: LiveStatus | undefined } | undefined;
  const again = () => {
    if (last) render(last.state, last.selectedId, last.noReading, last.live);
  };
  // The page shown; a new sort or filter starts again at the first. A device selected elsewhere (on
  // the map, from an alert) turns to the page that holds it.
  let page = 0;
  let lastSelected: string | null = null;
  buildHead(table, (key) => {
    sort = nextSort(sort, key);
    page = 0;
    again();
  });
  const onFilter = () => {
    filter = readFilter(elements);
    page = 0;
    again();
  };
  elements.filter.addEventListener('input', onFilter);
  elements.kind.addEventListener('change', onFilter);

  /**
   * Updates the rows in place rather than rebuilding them: readings arrive every few seconds, and a
   * rebuilt row would take the keyboard focus away from whoever is on its button.
   */
  function render(state: LiveState, selectedId: string | null, noReading?: string, live?: LiveStatus): void {
    last = { state, selectedId, noReading, live };
    showSort(table, sort);
    const body = table.tBodies[0] ?? table.createTBody();
    const existing = new Map([...body.rows].map((row) => [row.dataset.deviceId as string, row]));
    const all = [...state.devices.values()].map((device) => rowOf(device, state, noReading, live));
    const matching = visibleRows(all, filter, sort);
    if (selectedId !== lastSelected) {
      lastSelected = selectedId;
      const at = matching.findIndex((row) => row.device.id === selectedId);
      if (at >= 0) page = pageHolding(at);
    }
    const shown = pageOf(matching.length, page);
    page = shown.index;
    const rows = matching.slice(shown.start, shown.end);
    const focused = document.activeElement instanceof HTMLElement && body.contains(document.activeElement) ? document.activeElement : null;
    rows.forEach(({ device, reading, kindText, status, ward, street }, position) => {
      const row = existing.get(device.id) ?? newRow(device.id, onSelect);
      existing.delete(device.id);
      const selected = device.id === selectedId;
      if (selected) row.setAttribute('aria-selected', 'true');
      else row.removeAttribute('aria-selected');
      const button = row.cells[0]?.firstElementChild as HTMLButtonElement;
      setText(button, device.name);
      button.setAttribute('aria-pressed', String(selected));
      const texts = [
        kindText,
        status,
        ward,
        street,
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
    // A sorted column can move the row whose button has the focus: give the focus back.
    if (focused?.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
    setText(elements.count, countText(matching.length, all.length));
    renderPager(elements.pager, shown, (index) => {
      page = index;
      again();
    });
  }

  return { render };
}
