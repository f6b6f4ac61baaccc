import { streetLabel } from '../../core/area.js';
import type { LocatedDevice } from '../../core/device.js';
import { METRICS, METRIC_INFO } from '../../core/metrics.js';
import type { LiveReading } from '../../core/reading.js';
import { KIND_LABEL, deviceSummary } from './status.js';

/**
 * The selected-device panel: what the device last said and where it is in the council's location
 * keys. The terms spell out USRN and UPRN because most readers will not know them.
 */

export interface DetailField {
  term: string;
  description: string;
}

export const NOT_KNOWN = 'Not known';

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const ONE_PLACE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** "3 m away", rounded to the metre; "under 1 m away" rather than a bare 0. */
export function formatDistance(metres: number): string {
  const rounded = Math.round(metres);
  return rounded < 1 ? 'under 1 m away' : `${WHOLE.format(rounded)} m away`;
}

function withDistance(text: string, metres: number | null): string {
  return metres === null ? text : `${text}, ${formatDistance(metres)}`;
}

/**
 * The device's latest values and its ward, street and nearest property, in reading order.
 * `noReading` says what a missing reading means ("No reading yet" live; a replayed hour says its own).
 */
export function deviceDetails(device: LocatedDevice, reading: LiveReading | undefined, noReading = 'No reading yet'): DetailField[] {
  const { wardCode, wardName, usrn, streetName, streetDistanceM, uprn, uprnDistanceM } = device.location;
  const fields: DetailField[] = [
    { term: 'Type', description: KIND_LABEL[device.kind] },
    { term: 'Status', description: reading ? deviceSummary(device, reading) : noReading },
    { term: 'Last reading', description: reading ? `${DATE_TIME.format(new Date(reading.time))} (UK time)` : noReading },
  ];
  for (const metric of METRICS) {
    const value = reading?.values[metric];
    if (value === undefined) continue;
    const { label, unit } = METRIC_INFO[metric];
    fields.push({ term: label, description: `${ONE_PLACE.format(value)} ${unit}` });
  }
  const street = usrn === null ? (streetName ?? NOT_KNOWN) : streetLabel({ usrn, name: streetName });
  fields.push(
    { term: 'Ward', description: wardName ?? NOT_KNOWN },
    { term: 'Ward code', description: wardCode ?? NOT_KNOWN },
    { term: 'Street', description: street === NOT_KNOWN ? street : withDistance(street, streetDistanceM) },
    { term: 'USRN (Unique Street Reference Number)', description: usrn === null ? NOT_KNOWN : String(usrn) },
    {
      term: 'Nearest property: UPRN (Unique Property Reference Number)',
      description: uprn === null ? NOT_KNOWN : withDistance(String(uprn), uprnDistanceM),
    },
  );
  return fields;
}

export interface DetailsOptions {
  /** Shown under the heading (the 24-hour chart). */
  between?: HTMLElement;
  /** What a missing reading means: see deviceDetails. */
  noReading?: string;
}

/**
 * Draws the panel: the device's name as a heading over a definition list of its details, with
 * `between` under the heading. The heading and `between` stay in place from one reading to the
 * next, so a control in `between` keeps the focus; only the list is redrawn.
 */
export function renderDeviceDetails(container: HTMLElement, device: LocatedDevice | undefined, reading: LiveReading | undefined, { between, noReading }: DetailsOptions = {}): void {
  if (!device) {
    const none = document.createElement('p');
    none.textContent = 'None. Choose a device on the map or in the table.';
    container.replaceChildren(none);
    return;
  }
  let heading = container.querySelector(':scope > h3');
  let list = container.querySelector(':scope > dl.details');
  if (!heading || !list) {
    heading = document.createElement('h3');
    list = document.createElement('dl');
    list.className = 'details';
    container.replaceChildren(heading, ...(between ? [between] : []), list);
  }
  if (heading.textContent !== device.name) heading.textContent = device.name;
  const items: HTMLElement[] = [];
  for (const { term, description } of deviceDetails(device, reading, noReading)) {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = description;
    items.push(dt, dd);
  }
  list.replaceChildren(...items);
}
