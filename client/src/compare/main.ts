import { Button, ErrorSummary, SkipLink, createAll } from 'govuk-frontend';
import { londonDate } from '../../../core/londonTime.js';
import { parseAreaWards, wardsByName, type AreaWards } from './areaWards.js';
import { createCompareForm } from './compareForm.js';
import { apiUrl, parseQuery, serialiseQuery, validateQuery, type CompareQuery, type FieldError, type QueryField } from './compareQuery.js';
import { parseCompareResponse, type CompareResponse } from './compareResponse.js';
import { comparisonsHtml } from './comparisons.js';
import { legendHtml, mapModel, mapSvg, type MapModel } from './choropleth.js';
import { serverErrors } from './errorSummary.js';
import { parseApiError } from '../shared/apiError.js';
import { errorSummaryHtml, type SummaryItem } from '../shared/errorSummary.js';
import { escapeHtml } from '../shared/html.js';
import { EXPORT_MAP_MAX_HEIGHT, EXPORT_MAP_WIDTH, exportSvg } from './mapExport.js';
import { downloadBlob, svgToPngBlob } from './pngExport.js';
import { exceedanceNotesHtml, hasAnyData, mapTitle, notesHtml, pngFileName, statusText } from './summary.js';
import { MAX_TREND_WARDS, trendLegendHtml, trendSeries, trendSvg, trendTableHtml } from './trendChart.js';
import { DEFAULT_SORT, nextSort, rankingDescription, rankingTableHtml, wardTableDescription, wardTableHtml, type Sort, type SortKey } from './wardTables.js';
import { formatPeriod } from './format.js';
import './compare.scss';

/**
 * The ward comparison page: the query string is the state. Loading a URL fills the form and fetches;
 * submitting the form pushes a new URL; back and forward show the views again. Everything drawn is a
 * pure function of the server's answer (the modules beside this one); this file does the I/O.
 */

document.body.classList.add('govuk-frontend-supported');
createAll(SkipLink);
createAll(Button);

const PAGE_TITLE = 'Compare wards – Smartplace';
const FIELD_ORDER: readonly QueryField[] = ['metric', 'period', 'from', 'to', 'wards'];
/** The page's map is drawn in this many units across and scales to its box. */
const PAGE_MAP_WIDTH = 800;
const PAGE_MAP_MAX_HEIGHT = 720;

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const formElement = byId<HTMLFormElement>('compare-form');
const form = createCompareForm(formElement);
const status = byId<HTMLElement>('compare-status');
const resultsBody = byId<HTMLElement>('results-body');
const errorSlot = byId<HTMLElement>('error-summary-slot');
const shareStatus = byId<HTMLElement>('share-status');
const pngButton = byId<HTMLButtonElement>('download-png');
const trendElement = byId<HTMLElement>('trend');
const wardTableWrap = byId<HTMLElement>('ward-table-wrap');

let area: AreaWards | null = null;
let areaProblem: string | null = null;
let pageMap: MapModel | null = null;
let exportMap: MapModel | null = null;
let shown: { query: CompareQuery; response: CompareResponse } | null = null;
let sort: Sort = DEFAULT_SORT;
let request: AbortController | null = null;
let trendWidth = 0;

function showErrors(fields: readonly FieldError[], general: readonly string[] = []): void {
  form.showErrors(fields);
  if (fields.length === 0 && general.length === 0) {
    errorSlot.replaceChildren();
    return;
  }
  const ordered = [...fields].sort((a, b) => FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field));
  const items: SummaryItem[] = [...general.map((text) => ({ text, href: null })), ...ordered.map((error) => ({ text: error.message, href: form.fieldHref(error.field) }))];
  errorSlot.innerHTML = errorSummaryHtml(items);
  // The component moves focus to the summary, so it is read out first.
  new ErrorSummary(errorSlot.firstElementChild);
  document.title = `Error: ${PAGE_TITLE}`;
  status.textContent = 'Nothing to show: there is a problem, listed at the top of the page.';
  resultsBody.hidden = true;
  shown = null;
}

async function getJson(url: string, signal?: AbortSignal): Promise<{ status: number; ok: boolean; json: unknown }> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  const json: unknown = await response.json().catch(() => null);
  return { status: response.status, ok: response.ok, json };
}

async function loadArea(): Promise<void> {
  try {
    const answer = await getJson('/api/v1/area?streets=false');
    if (!answer.ok) throw new Error(parseApiError(answer.json)?.message ?? `HTTP ${answer.status}`);
    area = parseAreaWards(answer.json);
  } catch (error) {
    areaProblem = error instanceof Error ? error.message : String(error);
    if (shown) render();
    return;
  }
  pageMap = mapModel(area.wards, PAGE_MAP_WIDTH, PAGE_MAP_MAX_HEIGHT);
  form.setWards(wardsByName(area.wards));
  byId('area-name').textContent = area.name;
  byId('area-name-intro').textContent = area.name;
  const notice = byId('area-notice');
  notice.textContent = area.notice ?? '';
  notice.hidden = area.notice === null;
  byId('attribution').textContent = area.attribution ?? '';
  if (shown) render();
}

/** Checks the query, asks the server and shows its answer; a newer call makes an older one moot. */
async function show(query: CompareQuery): Promise<void> {
  const errors = validateQuery(query, londonDate(Date.now()));
  if (errors.length > 0) {
    showErrors(errors);
    return;
  }
  request?.abort();
  const controller = new AbortController();
  request = controller;
  status.textContent = 'Loading…';
  resultsBody.setAttribute('aria-busy', 'true');
  let answer: Awaited<ReturnType<typeof getJson>>;
  try {
    answer = await getJson(apiUrl(query), controller.signal);
  } catch (error) {
    if (controller.signal.aborted) return;
    showErrors([], [`The server could not be reached (${error instanceof Error ? error.message : String(error)}). Check the connection and try again.`]);
    return;
  } finally {
    if (request === controller) resultsBody.removeAttribute('aria-busy');
  }
  if (request !== controller) return;
  if (!answer.ok) {
    const problem = serverErrors(answer.status, parseApiError(answer.json));
    showErrors(problem.fields, problem.general);
    return;
  }
  let response: CompareResponse;
  try {
    response = parseCompareResponse(answer.json);
  } catch (error) {
    showErrors([], [`The server’s answer could not be read: ${error instanceof Error ? error.message : String(error)}.`]);
    return;
  }
  showErrors([]);
  // Without the area's boundaries the list of wards still comes from the answer.
  form.setWards(wardsByName(response.wards));
  shown = { query, response };
  sort = DEFAULT_SORT;
  render();
}

function renderMap(response: CompareResponse): void {
  const figure = byId('compare-map');
  byId('map-heading').textContent = `Map: ${mapTitle(response, null)}`;
  if (!area || !pageMap) {
    figure.innerHTML = `<p class="govuk-body">${areaProblem ? `The map is not available: the ward boundaries could not be loaded (${escapeHtml(areaProblem)}).` : 'Loading the ward boundaries…'}</p>`;
    pngButton.disabled = true;
  } else {
    const title = `${mapTitle(response, area.name)}: mean for ${formatPeriod(response.period)}`;
    figure.innerHTML = mapSvg(pageMap, response, { title: 'compare-map-title', description: 'map-alternative' }, title);
    pngButton.disabled = false;
  }
  byId('map-legend').innerHTML = legendHtml(response);
}

function renderTrend(response: CompareResponse): void {
  const series = trendSeries(response);
  if (series.length === 0) {
    trendElement.innerHTML = `<p class="govuk-body" id="trend-too-many">Pick up to ${MAX_TREND_WARDS} wards to see their trends.</p>`;
    return;
  }
  // Drawn again on a resize: the table stays open, and focus stays on its summary, if they were.
  const wasOpen = document.getElementById('trend-details')?.hasAttribute('open') === true;
  const hadFocus = trendElement.contains(document.activeElement);
  trendWidth = Math.max(300, Math.min(960, trendElement.clientWidth || 640));
  const height = trendWidth < 500 ? 280 : 340;
  trendElement.innerHTML =
    trendLegendHtml(series) +
    `<div class="app-trend">${trendSvg(series, { width: trendWidth, height, label: response.label, unit: response.unit, metric: response.metric, titleId: 'trend-title', descriptionId: 'trend-description' })}</div>` +
    `<details class="govuk-details" id="trend-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Show the chart’s data as a table</span></summary>` +
    `<div class="govuk-details__text"><div class="app-table-scroll" tabindex="0" role="region" aria-label="The chart’s data">${trendTableHtml(series, response)}</div></div></details>`;
  const details = byId<HTMLDetailsElement>('trend-details');
  details.open = wasOpen;
  if (hadFocus) details.querySelector('summary')?.focus();
}

function renderWardTable(response: CompareResponse): void {
  wardTableWrap.innerHTML = wardTableHtml(response, sort);
}

function render(): void {
  if (!shown) return;
  const { query, response } = shown;
  document.title = `${response.label}, ${formatPeriod(response.period)} – ${PAGE_TITLE}`;
  status.textContent = statusText(response);
  resultsBody.hidden = !hasAnyData(response);
  if (resultsBody.hidden) return;
  byId<HTMLAnchorElement>('download-csv').href = apiUrl(query, 'csv');
  shareStatus.textContent = '';
  renderMap(response);
  const comparisons = byId('comparisons');
  comparisons.innerHTML = response.all
    ? '<p class="govuk-body">Choose two or more wards in the form to see how the first compares with each of the others.</p>'
    : comparisonsHtml(response) || '<p class="govuk-body">No comparisons for these wards.</p>';
  byId('table-heading').textContent = response.all ? 'All wards side by side' : 'Selected wards side by side';
  byId('ward-table-description').textContent = wardTableDescription(response);
  renderWardTable(response);
  byId('exceedance-notes-slot').innerHTML = exceedanceNotesHtml(response);
  renderTrend(response);
  byId('ranking-description').textContent = rankingDescription(response);
  byId('ranking-table-wrap').innerHTML = rankingTableHtml(response);
  byId('notes').innerHTML = notesHtml(response.notes);
}

function selectedNames(response: CompareResponse): string[] {
  const names = new Map(response.wards.map((ward) => [ward.code, ward.name]));
  return response.selected.map((code) => names.get(code) ?? code);
}

function urlFor(query: CompareQuery): string {
  return `${location.pathname}?${serialiseQuery(query)}`;
}

formElement.addEventListener('submit', (event) => {
  event.preventDefault();
  const { query, errors } = form.read();
  const checked = validateQuery(query, londonDate(Date.now())).filter((error) => !errors.some((own) => own.field === error.field));
  const all = [...errors, ...checked];
  if (all.length > 0) {
    showErrors(all);
    return;
  }
  const url = urlFor(query);
  if (url === `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void show(query);
});

window.addEventListener('popstate', () => {
  void start();
});

wardTableWrap.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest<HTMLButtonElement>('button[data-sort]') : null;
  if (!button || !shown) return;
  const key = button.dataset.sort as SortKey;
  sort = nextSort(sort, key);
  renderWardTable(shown.response);
  wardTableWrap.querySelector<HTMLButtonElement>(`button[data-sort="${key}"]`)?.focus();
});

byId<HTMLButtonElement>('copy-link').addEventListener('click', () => {
  const url = location.href;
  navigator.clipboard.writeText(url).then(
    () => {
      shareStatus.textContent = 'Link copied. It opens this view with the same measure, period and wards.';
    },
    () => {
      shareStatus.textContent = `The link could not be copied here; copy it from the address bar: ${url}`;
    },
  );
});

pngButton.addEventListener('click', () => {
  if (!shown || !area) return;
  const { response } = shown;
  exportMap ??= mapModel(area.wards, EXPORT_MAP_WIDTH, EXPORT_MAP_MAX_HEIGHT);
  const picture = exportSvg({
    model: exportMap,
    response,
    title: mapTitle(response, area.name),
    subtitle: `Mean for ${formatPeriod(response.period)}. ${response.all ? 'All wards.' : `Selected wards outlined: ${selectedNames(response).join(', ')}.`}`,
    attribution: area.attribution,
  });
  shareStatus.textContent = 'Making the picture…';
  svgToPngBlob(picture.svg, picture.width, picture.height).then(
    (blob) => {
      const name = pngFileName(response);
      downloadBlob(blob, name);
      shareStatus.textContent = `The map was saved as ${name}.`;
    },
    (error: unknown) => {
      shareStatus.textContent = error instanceof Error ? error.message : String(error);
    },
  );
});

let resizeFrame = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => {
    if (shown && !resultsBody.hidden && Math.abs(Math.max(300, Math.min(960, trendElement.clientWidth)) - trendWidth) > 8) renderTrend(shown.response);
  });
});

/** Shows the view the address names; a link with an unusable value shows what is wrong instead. */
async function start(): Promise<void> {
  const { query, errors } = parseQuery(location.search);
  form.write(query);
  if (errors.length > 0) {
    showErrors(errors);
    return;
  }
  const canonical = urlFor(query);
  if (canonical !== `${location.pathname}${location.search}`) history.replaceState(null, '', canonical);
  await show(query);
}

void loadArea();
void start();
