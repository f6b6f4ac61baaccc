import { Button, ErrorSummary, SkipLink, createAll } from 'govuk-frontend';
import { parseApiError } from '../shared/apiError.js';
import { object, optional, string } from '../shared/decode.js';
import { errorSummaryHtml, type SummaryItem } from '../shared/errorSummary.js';
import { parseBriefing, parseSearchResponse, type Briefing, type SearchResult } from './briefingResponse.js';
import { caveatsHtml, documentTitle, glossaryHtml, headlineHtml, metaHtml, sectionsWithDaqiHtml, sourcesHtml, titleHtml } from './briefingHtml.js';
import { chartFigureHtml, chartIds, noChartHtml, type ChartSize } from './chartFigure.js';
import { briefingProblems } from './briefingErrors.js';
import { daqiTableHtml } from './daqiTable.js';
import { hourSvg, hourTableHtml } from './hourChart.js';
import { periodRadiosHtml } from './periodRadios.js';
import { deviceTableHtml, mapKeyHtml, nearestNote, placeMapSvg } from './placeMap.js';
import { briefingApiUrl, parseRoute, pdfFileName, pdfUrl, searchForChoice, type PlaceKind } from './route.js';
import { createSearchBox } from './searchBox.js';
import { trendSvg, trendTableHtml } from './trendChart.js';
import type { PeriodChoice } from '../shared/period.js';
import './briefing.scss';

/**
 * The briefing page. The address is the state: /briefing is the search alone, /briefing/ward/:code
 * and /briefing/street/:usrn a briefing for the period in the query string. Choosing a place or a
 * period pushes a new address, and back and forward show the earlier ones again. Everything drawn is
 * a pure function of the server's answer (the modules beside this one); this file does the I/O.
 */

document.body.classList.add('govuk-frontend-supported');
createAll(SkipLink);
createAll(Button);

const SEARCH_TITLE = 'Street and ward briefings – Smartplace';
/** The map is drawn this many units across and scales to its box. */
const MAP_WIDTH = 480;
const MAP_MAX_HEIGHT = 380;
/** The printed copy of each chart: half the width of an A4 page, its text about 8 pt. */
const PRINT_CHART: Omit<ChartSize, 'id' | 'figureId'> = { width: 460, height: 200, fontSize: 15 };

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const errorSlot = byId('error-summary-slot');
const intro = byId('intro');
const notFound = byId('not-found');
const problem = byId('problem');
const status = byId('briefing-status');
const article = byId('briefing');
const periodForm = byId<HTMLFormElement>('period-form');
const pdfLink = byId<HTMLAnchorElement>('download-pdf');
const trendSlot = byId('trend-slot');
const patternSlot = byId('pattern-slot');

let request: AbortController | null = null;
let shown: Briefing | null = null;
let pageTitle = SEARCH_TITLE;

/** The tab's title; an error in the search box puts "Error: " before it. */
function setTitle(title: string): void {
  pageTitle = title;
  document.title = title;
}
let chartWidth = 0;

function showSummary(items: readonly SummaryItem[]): void {
  if (items.length === 0) {
    errorSlot.replaceChildren();
    return;
  }
  errorSlot.innerHTML = errorSummaryHtml(items);
  // The component moves focus to the summary, so it is read out first.
  new ErrorSummary(errorSlot.firstElementChild);
}

const search = createSearchBox(
  {
    form: byId<HTMLFormElement>('search-form'),
    group: byId('search-group'),
    input: byId<HTMLInputElement>('place-search'),
    listbox: byId('place-search-listbox'),
    status: byId('place-search-status'),
    error: byId('place-search-error'),
  },
  {
    async fetchResults(query: string, signal: AbortSignal): Promise<SearchResult[]> {
      const response = await fetch(`/api/v1/search?q=${encodeURIComponent(query)}`, { headers: { accept: 'application/json' }, signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return parseSearchResponse(await response.json());
    },
    go: (href) => navigate(href),
    onError(message) {
      showSummary(message === null ? [] : [{ text: message, href: '#place-search' }]);
      document.title = message === null ? pageTitle : `Error: ${pageTitle}`;
    },
  },
);

/** Which of the page's blocks shows; the others hide. */
function showOnly(block: 'intro' | 'not-found' | 'problem' | 'briefing'): void {
  intro.hidden = block !== 'intro';
  notFound.hidden = block !== 'not-found';
  problem.hidden = block !== 'problem';
  article.hidden = block !== 'briefing';
  updateFooter();
}

/** The area's attribution, except under a briefing, which ends with its own sources and licence. */
function updateFooter(): void {
  byId('footer').hidden = !article.hidden || byId('attribution').textContent === '';
}

/** What the page shows, for the server's PDF printer (server/briefingPdf.ts waits for ready or error). */
function setState(state: 'loading' | 'ready' | 'error'): void {
  document.body.dataset.state = state;
}

function showNotFound(message: string, focus: boolean): void {
  setState('error');
  shown = null;
  showOnly('not-found');
  showSummary([]);
  byId('not-found-message').textContent = message;
  status.textContent = '';
  setTitle(`Place not found – ${SEARCH_TITLE}`);
  if (focus) byId('not-found-heading').focus();
}

function showProblem(items: readonly SummaryItem[], focus: boolean): void {
  setState('error');
  shown = null;
  showOnly('problem');
  status.textContent = '';
  setTitle(`Error: ${SEARCH_TITLE}`);
  showSummary(items);
  if (focus && items.length === 0) byId('problem-heading').focus();
}

async function loadBriefing(route: { kind: PlaceKind; id: string }, focus: boolean): Promise<void> {
  request?.abort();
  const controller = new AbortController();
  request = controller;
  status.classList.remove('govuk-visually-hidden');
  status.textContent = 'Loading the briefing…';
  setState('loading');
  article.setAttribute('aria-busy', 'true');
  let response: Response;
  let json: unknown;
  try {
    response = await fetch(briefingApiUrl(route, location.search), { headers: { accept: 'application/json' }, signal: controller.signal });
    json = await response.json().catch(() => null);
  } catch (error) {
    if (controller.signal.aborted) return;
    showProblem([{ text: `The server could not be reached (${error instanceof Error ? error.message : String(error)}). Check the connection and try again.`, href: null }], focus);
    return;
  } finally {
    if (request === controller) article.removeAttribute('aria-busy');
  }
  if (request !== controller) return;
  if (response.status === 404) {
    const body = parseApiError(json);
    showNotFound(body?.message ?? 'There is no briefing at this address.', focus);
    return;
  }
  if (!response.ok) {
    showProblem(briefingProblems(response.status, parseApiError(json), location.pathname), focus);
    return;
  }
  let briefing: Briefing;
  try {
    briefing = parseBriefing(json);
  } catch (error) {
    showProblem([{ text: `The server’s answer could not be read: ${error instanceof Error ? error.message : String(error)}.`, href: null }], focus);
    return;
  }
  showSummary([]);
  shown = briefing;
  render(briefing);
  if (focus) byId('briefing-title').focus();
}

function renderCharts(briefing: Briefing): void {
  chartWidth = Math.max(280, Math.min(720, trendSlot.clientWidth || 640));
  const height = chartWidth < 480 ? 240 : 280;
  const { trend, dailyPattern } = briefing.charts;
  trendSlot.innerHTML = trend
    ? chartFigureHtml({
        id: 'trend-chart',
        title: trend.title,
        screenSvg: trendSvg(trend, { width: chartWidth, height, id: chartIds('trend-chart').svg, figureId: 'trend-chart' }),
        printSvg: trendSvg(trend, { ...PRINT_CHART, id: chartIds('trend-chart').printSvg, figureId: 'trend-chart' }),
        summary: trend.summary,
        table: trendTableHtml(trend, 'trend-chart'),
      })
    : noChartHtml('trend-chart', 'Daily values over the period');
  patternSlot.innerHTML = dailyPattern
    ? chartFigureHtml({
        id: 'pattern-chart',
        title: dailyPattern.title,
        screenSvg: hourSvg(dailyPattern, { width: chartWidth, height, id: chartIds('pattern-chart').svg, figureId: 'pattern-chart' }),
        printSvg: hourSvg(dailyPattern, { ...PRINT_CHART, id: chartIds('pattern-chart').printSvg, figureId: 'pattern-chart' }),
        summary: dailyPattern.summary,
        table: hourTableHtml(dailyPattern, 'pattern-chart'),
      })
    : noChartHtml('pattern-chart', 'Values by hour of the day');
}

/** Only the screen's copies, on a resize: the tables stay open if they were. */
function redrawScreenCharts(briefing: Briefing): void {
  chartWidth = Math.max(280, Math.min(720, trendSlot.clientWidth || 640));
  const height = chartWidth < 480 ? 240 : 280;
  const { trend, dailyPattern } = briefing.charts;
  const trendScreen = document.getElementById('trend-chart-screen');
  if (trend && trendScreen) trendScreen.innerHTML = trendSvg(trend, { width: chartWidth, height, id: chartIds('trend-chart').svg, figureId: 'trend-chart' });
  const patternScreen = document.getElementById('pattern-chart-screen');
  if (dailyPattern && patternScreen) patternScreen.innerHTML = hourSvg(dailyPattern, { width: chartWidth, height, id: chartIds('pattern-chart').svg, figureId: 'pattern-chart' });
}

function render(briefing: Briefing): void {
  setTitle(documentTitle(briefing));
  showOnly('briefing');
  byId('briefing-title-slot').innerHTML = titleHtml(briefing.place);
  byId('briefing-meta-slot').innerHTML = metaHtml(briefing);
  pdfLink.href = pdfUrl(briefing);
  pdfLink.download = pdfFileName(briefing);
  byId('period-radios').innerHTML = periodRadiosHtml({ period: briefing.period.preset, from: briefing.period.from, to: briefing.period.to });
  byId('briefing-headline-slot').innerHTML = headlineHtml(briefing.headline);

  byId('briefing-sections').innerHTML = sectionsWithDaqiHtml(briefing.sections, briefing.daqiDays ? daqiTableHtml(briefing.daqiDays) : '');

  byId('place-map').innerHTML = placeMapSvg(briefing, { width: MAP_WIDTH, maxHeight: MAP_MAX_HEIGHT, id: 'place-map-svg' });
  byId('place-map-key-slot').innerHTML = mapKeyHtml(briefing);
  byId('nearest-slot').innerHTML = nearestNote(briefing);
  byId('device-table-slot').innerHTML = deviceTableHtml(briefing);

  renderCharts(briefing);

  const caveats = caveatsHtml(briefing.caveats);
  byId('caveats-slot').innerHTML = caveats;
  byId('caveats-section').hidden = caveats === '';
  const glossary = glossaryHtml(briefing.glossary);
  byId('glossary-slot').innerHTML = glossary;
  byId('glossary-section').hidden = glossary === '';
  byId('sources-slot').innerHTML = sourcesHtml(briefing.sources, briefing.licence);

  // Said, not shown: the heading shows it.
  status.classList.add('govuk-visually-hidden');
  status.textContent = `Showing the briefing for ${briefing.place.name}, ${briefing.period.label}.`;
  setState('ready');
}

/** Shows what the address names. `focus`: move focus to the new heading (after choosing a place). */
async function show(focus: boolean): Promise<void> {
  const route = parseRoute(location.pathname);
  switch (route.kind) {
    case 'search':
      request?.abort();
      shown = null;
      showOnly('intro');
      showSummary([]);
      status.textContent = '';
      setTitle(SEARCH_TITLE);
      return;
    case 'unknown':
      request?.abort();
      showNotFound('There is no briefing at this address.', focus);
      return;
    case 'ward':
    case 'street':
      await loadBriefing(route, focus);
      return;
  }
}

function navigate(href: string): void {
  search.reset();
  if (`${location.pathname}${location.search}` !== href) history.pushState(null, '', href);
  void show(true);
}

periodForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const checked = periodForm.querySelector<HTMLInputElement>('input[name="period"]:checked');
  if (!checked) return;
  const url = `${location.pathname}${searchForChoice(checked.value as PeriodChoice, location.search)}`;
  if (url === `${location.pathname}${location.search}`) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void show(false);
});

byId<HTMLButtonElement>('print-briefing').addEventListener('click', () => window.print());

window.addEventListener('popstate', () => {
  void show(false);
});

let resizeFrame = 0;
window.addEventListener('resize', () => {
  cancelAnimationFrame(resizeFrame);
  resizeFrame = requestAnimationFrame(() => {
    if (shown && !article.hidden && Math.abs(Math.max(280, Math.min(720, trendSlot.clientWidth)) - chartWidth) > 8) redrawScreenCharts(shown);
  });
});

/** The area's name for the header and its attribution for the footer; the page works without them. */
async function loadArea(): Promise<void> {
  try {
    const response = await fetch('/api/v1/area?streets=false', { headers: { accept: 'application/json' } });
    if (!response.ok) return;
    const area = object({ name: string, attribution: optional(string) })(await response.json(), '');
    byId('area-name').textContent = area.name;
    byId('attribution').textContent = area.attribution ?? '';
    updateFooter();
  } catch {
    // The header shows the service's name alone.
  }
}

void show(false);
void loadArea();
void checkPdf();

/** Hides the PDF link when the server cannot print (no Chromium there): Print is the way then. */
async function checkPdf(): Promise<void> {
  try {
    const response = await fetch('/api/v1/client-config', { headers: { accept: 'application/json' } });
    const config = (await response.json()) as { briefingPdf?: unknown };
    if (config.briefingPdf === false) {
      pdfLink.hidden = true;
      byId('pdf-hint').textContent = 'To keep a copy, choose Print and then “Save as PDF”.';
    }
  } catch {
    // Leave the link: the hint under it says what to do if it fails.
  }
}
