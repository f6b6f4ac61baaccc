import { DAQI_BANDS, type CompareResponse, type WardResult } from './compareResponse.js';
import { decimalsFor, formatDate, formatNumber, formatSigned, inSentence, unitHeading } from './format.js';
import { escapeHtml } from '../shared/html.js';

/**
 * The two tables: the selected wards side by side (every figure the server gives, sortable by any
 * column) and all wards ranked, worst first. Each number's unit is in its column heading.
 */

export type SortKey =
  | 'name'
  | 'rank'
  | 'mean'
  | 'median'
  | 'p95'
  | 'ukExceedances'
  | 'whoExceedances'
  | 'daqiLow'
  | 'daqiModerate'
  | 'daqiHigh'
  | 'daqiVeryHigh'
  | 'daysWithData'
  | 'capture'
  | 'devices'
  | 'change'
  | 'changePercent';

export type SortDirection = 'ascending' | 'descending';

export interface Sort {
  key: SortKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: Sort = { key: 'rank', direction: 'ascending' };

/** A dash to see, words to hear: "Not ranked" is too wide for a narrow column. */
const NOT_RANKED = '<span aria-hidden="true">–</span><span class="govuk-visually-hidden">Not ranked</span>';

const DAQI_KEYS = { Low: 'daqiLow', Moderate: 'daqiModerate', High: 'daqiHigh', 'Very High': 'daqiVeryHigh' } as const;

function sortValue(ward: WardResult, key: SortKey): number | string | null {
  switch (key) {
    case 'name':
      return ward.name;
    case 'daqiLow':
      return ward.daqiDays?.Low ?? null;
    case 'daqiModerate':
      return ward.daqiDays?.Moderate ?? null;
    case 'daqiHigh':
      return ward.daqiDays?.High ?? null;
    case 'daqiVeryHigh':
      return ward.daqiDays?.['Very High'] ?? null;
    default:
      return ward[key];
  }
}

/** Sorted by one column; wards without a value always go last, whichever the direction. */
export function sortWards(wards: readonly WardResult[], sort: Sort): WardResult[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...wards].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === 'string' || typeof y === 'string' ? String(x).localeCompare(String(y), 'en-GB') : x - y;
    return order === 0 ? a.name.localeCompare(b.name, 'en-GB') : sign * order;
  });
}

/** The next sort when a heading's button is pressed: a new column starts in its natural order. */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  const startsHigh = key !== 'name' && key !== 'rank';
  return { key, direction: startsHigh ? 'descending' : 'ascending' };
}

interface Column {
  key: SortKey;
  heading: string;
  numeric: boolean;
  cell(ward: WardResult): string;
}

function cellNumber(value: number | null, decimals: number): string {
  return value === null ? 'No data' : formatNumber(value, decimals);
}

/** The columns this answer has: no exceedances for traffic, no DAQI days for traffic. */
export function wardColumns(response: CompareResponse): Column[] {
  const decimals = decimalsFor(response.metric);
  const unit = unitHeading(response.unit);
  const columns: Column[] = [
    { key: 'rank', heading: 'Rank', numeric: true, cell: (ward) => (ward.rank === null ? NOT_RANKED : String(ward.rank)) },
    { key: 'mean', heading: `Mean ${unit}`, numeric: true, cell: (ward) => cellNumber(ward.mean, decimals) },
    { key: 'median', heading: `Median ${unit}`, numeric: true, cell: (ward) => cellNumber(ward.median, decimals) },
    { key: 'p95', heading: `95th percentile ${unit}`, numeric: true, cell: (ward) => cellNumber(ward.p95, decimals) },
  ];
  const uk = response.exceedances?.uk;
  const who = response.exceedances?.who;
  if (uk) columns.push({ key: 'ukExceedances', heading: `${uk.label} (UK)`, numeric: true, cell: (ward) => cellNumber(ward.ukExceedances, 0) });
  if (who) columns.push({ key: 'whoExceedances', heading: `${who.label} (WHO)`, numeric: true, cell: (ward) => cellNumber(ward.whoExceedances, 0) });
  if (response.wards.some((ward) => ward.daqiDays !== null)) {
    for (const band of DAQI_BANDS) {
      columns.push({ key: DAQI_KEYS[band], heading: `DAQI ${band} (days)`, numeric: true, cell: (ward) => cellNumber(ward.daqiDays?.[band] ?? null, 0) });
    }
  }
  columns.push(
    { key: 'daysWithData', heading: 'Days with data', numeric: true, cell: (ward) => String(ward.daysWithData) },
    { key: 'capture', heading: 'Data capture (%)', numeric: true, cell: (ward) => cellNumber(ward.capture, 0) },
    { key: 'devices', heading: 'Devices', numeric: true, cell: (ward) => String(ward.devices) },
    { key: 'change', heading: `Change on a year earlier ${unit}`, numeric: true, cell: (ward) => (ward.change === null ? '' : formatSigned(ward.change, decimals)) },
    { key: 'changePercent', heading: 'Change on a year earlier (%)', numeric: true, cell: (ward) => (ward.changePercent === null ? 'No data' : formatSigned(ward.changePercent, 1)) },
  );
  return columns;
}

function headerCell(column: { key: SortKey; heading: string; numeric: boolean }, sort: Sort, scope = 'col'): string {
  const numeric = column.numeric ? ' govuk-table__header--numeric' : '';
  const ariaSort = sort.key === column.key ? ` aria-sort="${sort.direction}"` : '';
  return `<th scope="${scope}" class="govuk-table__header app-sortable${numeric}"${ariaSort}><button type="button" class="app-sort-button" data-sort="${column.key}">${escapeHtml(column.heading)}</button></th>`;
}

/** What the side-by-side table's caption has no room for: the change's period, and how to sort. */
export function wardTableDescription(response: CompareResponse): string {
  const previous = response.previousPeriod
    ? `The change is against the same days a year earlier, ${formatDate(response.previousPeriod.from)} to ${formatDate(response.previousPeriod.to)}. `
    : '';
  return `${previous}The median and 95th percentile are of the ward’s daily means. Select a column heading to sort the table; wide tables scroll sideways.`;
}

/** The selected wards (every ward when all are asked for), side by side. */
export function wardTableHtml(response: CompareResponse, sort: Sort): string {
  const columns = wardColumns(response);
  const wards = sortWards(
    response.wards.filter((ward) => response.all || ward.selected),
    sort,
  );
  const caption = `${escapeHtml(response.label)} ${escapeHtml(unitHeading(response.unit))} in ${response.all ? 'every ward' : 'the selected wards'}`;
  const head = headerCell({ key: 'name', heading: 'Ward', numeric: false }, sort) + columns.map((column) => headerCell(column, sort)).join('');
  const rows = wards.map((ward) => {
    const cells = columns.map((column) => {
      if (column.key === 'change' && ward.change === null) return '<td class="govuk-table__cell app-no-change" colspan="2">No data a year earlier</td>';
      if (column.key === 'changePercent' && ward.change === null) return '';
      return `<td class="govuk-table__cell${column.numeric ? ' govuk-table__cell--numeric' : ''}">${column.cell(ward)}</td>`;
    });
    return `<tr class="govuk-table__row" data-code="${escapeHtml(ward.code)}"><th scope="row" class="govuk-table__header">${escapeHtml(ward.name)}</th>${cells.join('')}</tr>`;
  });
  return (
    `<table class="govuk-table app-table app-table--wide" id="ward-table"><caption class="govuk-table__caption govuk-table__caption--m">${caption}</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row">${head}</tr></thead><tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}

/** "highest first" or, for congestion, "lowest % of free-flow speed first": what worst means here. */
export function rankingOrder(response: Pick<CompareResponse, 'higherIsWorse' | 'unit'>): string {
  if (response.higherIsWorse) return 'worst first: highest mean first';
  return response.unit.startsWith('%') ? 'worst first: lowest % of free-flow speed (most congested) first' : 'worst first: lowest mean first';
}

/** The ranking's order in words, and that it is the map's text alternative. */
export function rankingDescription(response: CompareResponse): string {
  return `Ranked by mean ${inSentence(response.label)}, ${rankingOrder(response)}. Wards without data are last. This table gives the figures the map shows.`;
}

/** All wards by rank; wards without data last, as "No data". */
export function rankingTableHtml(response: CompareResponse): string {
  const decimals = decimalsFor(response.metric);
  const unit = escapeHtml(unitHeading(response.unit));
  const ranked = [...response.wards].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name, 'en-GB'));
  const rows = ranked.map((ward) => {
    const selected = ward.selected && !response.all ? ' <strong class="govuk-tag govuk-tag--blue app-tag">Selected</strong>' : '';
    return (
      `<tr class="govuk-table__row" data-code="${escapeHtml(ward.code)}">` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${ward.rank === null ? NOT_RANKED : ward.rank}</td>` +
      `<th scope="row" class="govuk-table__header">${escapeHtml(ward.name)}${selected}</th>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${cellNumber(ward.mean, decimals)}</td>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${cellNumber(ward.capture, 0)}</td>` +
      `<td class="govuk-table__cell govuk-table__cell--numeric">${ward.devices}</td></tr>`
    );
  });
  return (
    `<table class="govuk-table app-table" id="ranking-table"><caption class="govuk-table__caption govuk-table__caption--m">${escapeHtml(response.label)}: all ${response.wards.length} wards, worst first</caption>` +
    `<thead class="govuk-table__head"><tr class="govuk-table__row">` +
    `<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rank</th><th scope="col" class="govuk-table__header">Ward</th>` +
    `<th scope="col" class="govuk-table__header govuk-table__header--numeric">Mean ${unit}</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">Data capture (%)</th>` +
    `<th scope="col" class="govuk-table__header govuk-table__header--numeric">Devices</th></tr></thead><tbody class="govuk-table__body">${rows.join('')}</tbody></table>`
  );
}
