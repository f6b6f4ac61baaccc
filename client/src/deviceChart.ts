import type { LocatedDevice } from '../../core/device.js';
import { HOUR_MS } from '../../core/londonTime.js';
import { METRIC_INFO, type Metric } from '../../core/metrics.js';
import type { LiveReading } from '../../core/reading.js';
import {
  chartPeriod,
  chartSummary,
  clockLabel,
  formatValue,
  hourLabel,
  hourTicks,
  hourTickStep,
  linearScale,
  pointPositions,
  splitAtGaps,
  valueAxis,
  type Box,
  type HourValue,
} from './chartGeometry.js';

/**
 * The selected device's last 24 hours: hourly means from the store's series API, drawn by hand on
 * a canvas (a line through consecutive hours, a gap where an hour is missing), described in its
 * aria-label and listed in a table. Fetched when the selection changes and every 5 minutes while
 * it stays; an answer for an earlier selection or metric is dropped.
 */

export interface DeviceChart {
  /** The chart's own element, for the selected-device panel to place. */
  element: HTMLElement;
  /** Called on every render: does nothing unless the device or its pollutants changed. */
  show(device: LocatedDevice | undefined, reading: LiveReading | undefined): void;
}

/** What the chart reads of `GET /api/v1/devices/{id}/series` (docs/api.md, Series). */
interface SeriesAnswer {
  unit: string;
  points: { start: string; mean: number | null }[];
}

const REFRESH_MS = 5 * 60_000;
const HEIGHT = 190;
const POLLUTANTS = ['no2', 'pm25', 'pm10', 'o3', 'so2'] as const satisfies readonly Metric[];
const SHORT_LABEL: Partial<Record<Metric, string>> = { no2: 'NO₂', pm25: 'PM2.5', pm10: 'PM10', o3: 'O₃', so2: 'SO₂', speed_kmh: 'Mean speed' };
// Text in the page's own colours (over 7:1 on white); the line in the link blue (5.2:1).
const COLOURS = { text: '#505a5f', axis: '#505a5f', grid: '#dfe1e2', line: '#1d70b8', pointEdge: '#ffffff' };
const FONT = '12px system-ui, "Segoe UI", Roboto, Arial, sans-serif';

/**
 * The metrics to offer: an air-quality device's pollutants as its latest reading has them (NO₂
 * first; NO₂ alone before it has reported), a traffic counter's mean speed.
 */
export function chartMetrics(device: LocatedDevice, reading: LiveReading | undefined): Metric[] {
  if (device.kind === 'traffic') return ['speed_kmh'];
  const measured = POLLUTANTS.filter((metric) => reading?.values[metric] !== undefined);
  return measured.length > 0 ? measured : ['no2'];
}

function labelOf(metric: Metric): string {
  return SHORT_LABEL[metric] ?? METRIC_INFO[metric].label;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function fetchSeries(deviceId: string, metric: Metric, now: number, signal: AbortSignal): Promise<{ unit: string; points: HourValue[] }> {
  const { from, to } = chartPeriod(now);
  const query = new URLSearchParams({ metric, bucket: 'hour', from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const response = await fetch(`/api/v1/devices/${encodeURIComponent(deviceId)}/series?${query}`, { headers: { accept: 'application/json' }, signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const answer = (await response.json()) as SeriesAnswer;
  // A mean of null is an hour whose every value was flagged as suspect: a gap, like a missing hour.
  const points = answer.points.flatMap((point) => (typeof point.mean === 'number' ? [{ start: Date.parse(point.start), value: point.mean }] : []));
  return { unit: answer.unit, points };
}

interface Drawn {
  metric: Metric;
  unit: string;
  points: HourValue[];
  /** When it was fetched: the period ends with the hour under way then. */
  now: number;
}

/** Draws the axes, the gridlines and the line, in CSS pixels on a canvas sized for the screen. */
function draw(canvas: HTMLCanvasElement, drawn: Drawn | null, width: number): void {
  const ratio = window.devicePixelRatio || 1;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${HEIGHT}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  const context = canvas.getContext('2d');
  if (!context) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, HEIGHT);
  context.font = FONT;
  const box: Box = { left: 44, right: width - 14, top: 24, bottom: HEIGHT - 26 };
  const period = chartPeriod(drawn?.now ?? Date.now());
  const { domain, ticks } = valueAxis(drawn?.points.map((p) => p.value) ?? []);
  const y = linearScale(domain, [box.bottom, box.top]);
  const x = linearScale([period.from, period.to], [box.left, box.right]);

  // Value axis: gridlines, numbers, and the unit above them.
  context.fillStyle = COLOURS.text;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const tick of ticks) {
    const at = Math.round(y(tick)) + 0.5;
    context.strokeStyle = COLOURS.grid;
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(box.left, at);
    context.lineTo(box.right, at);
    context.stroke();
    context.fillText(formatValue(tick), box.left - 6, at);
  }
  context.textAlign = 'left';
  context.textBaseline = 'alphabetic';
  if (drawn) context.fillText(drawn.unit, 4, 14);

  // Time axis: a line, and ticks labelled with the UK clock.
  context.strokeStyle = COLOURS.axis;
  context.beginPath();
  context.moveTo(box.left, box.bottom + 0.5);
  context.lineTo(box.right, box.bottom + 0.5);
  context.stroke();
  context.textBaseline = 'top';
  for (const tick of hourTicks(period.from, period.to, hourTickStep(box.right - box.left))) {
    const at = Math.round(x(tick)) + 0.5;
    context.beginPath();
    context.moveTo(at, box.bottom);
    context.lineTo(at, box.bottom + 5);
    context.stroke();
    const label = clockLabel(tick);
    const half = context.measureText(label).width / 2;
    // Kept inside the canvas at either end.
    context.textAlign = 'left';
    context.fillText(label, Math.min(Math.max(at - half, 2), width - 2 - 2 * half), box.bottom + 7);
  }
  if (!drawn || drawn.points.length === 0) return;

  // The line through each run of consecutive hours, then a point on every hour.
  context.strokeStyle = COLOURS.line;
  context.lineWidth = 2;
  context.lineJoin = 'round';
  for (const run of splitAtGaps(drawn.points)) {
    const positions = pointPositions(run, period, domain, box);
    context.beginPath();
    positions.forEach(({ x: px, y: py }, i) => (i === 0 ? context.moveTo(px, py) : context.lineTo(px, py)));
    context.stroke();
  }
  context.fillStyle = COLOURS.line;
  context.strokeStyle = COLOURS.pointEdge;
  context.lineWidth = 1.5;
  for (const { x: px, y: py } of pointPositions(drawn.points, period, domain, box)) {
    context.beginPath();
    context.arc(px, py, 3.5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
  }
}

function dataTable(drawn: Drawn): HTMLTableElement {
  const label = labelOf(drawn.metric);
  const table = el('table', { className: 'chart-table' });
  table.createCaption().textContent = `${label} hourly mean by hour, UK time`;
  const head = table.createTHead().insertRow();
  head.append(el('th', { scope: 'col' }, 'Hour'), el('th', { scope: 'col', className: 'number' }, `${label} (${drawn.unit})`));
  const body = table.createTBody();
  for (const point of [...drawn.points].sort((a, b) => a.start - b.start)) {
    const soFar = drawn.now < point.start + HOUR_MS ? ' (so far)' : '';
    const row = body.insertRow();
    row.append(el('th', { scope: 'row' }, `${hourLabel(point.start)}${soFar}`), el('td', { className: 'number' }, formatValue(point.value)));
  }
  return table;
}

export function createDeviceChart(): DeviceChart {
  const container = el('section', { id: 'device-chart', className: 'device-chart', hidden: true });
  container.setAttribute('aria-labelledby', 'chart-heading');
  let deviceId: string | null = null;
  let metrics: Metric[] = [];
  let metric: Metric = 'no2';
  let drawn: Drawn | null = null;
  let request = 0;
  let abort: AbortController | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;
  let width = 0;

  const canvas = el('canvas', { className: 'chart-canvas' });
  canvas.setAttribute('role', 'img');
  const note = el('p', { className: 'chart-note' });
  const select = el('select', { id: 'chart-metric' });
  const picker = el('p', { className: 'chart-metric' }, el('label', { htmlFor: 'chart-metric' }, 'Pollutant'), ' ', select);
  const details = el('details', { className: 'chart-details' }, el('summary', {}, 'The hourly means as a table'));
  container.replaceChildren(el('h4', { id: 'chart-heading' }, 'Last 24 hours'), picker, canvas, note, details);

  const redraw = () => {
    width = container.clientWidth;
    draw(canvas, drawn, Math.max(width, 200));
  };
  new ResizeObserver(() => {
    if (container.clientWidth !== width && !container.hidden) redraw();
  }).observe(container);

  function showAnswer(): void {
    const label = labelOf(metric);
    canvas.setAttribute('aria-label', drawn ? chartSummary(label, drawn.unit, drawn.points, drawn.now) : `${label} hourly mean, last 24 hours: loading.`);
    note.textContent = !drawn ? 'Loading the last 24 hours…' : drawn.points.length === 0 ? 'No hourly means in the last 24 hours yet: the chart fills as readings arrive.' : '';
    note.hidden = note.textContent === '';
    const table = drawn && drawn.points.length > 0 ? [dataTable(drawn)] : [];
    details.replaceChildren(details.firstElementChild as HTMLElement, ...table);
    details.hidden = table.length === 0;
    redraw();
  }

  function load(): void {
    if (deviceId === null) return;
    const mine = ++request;
    abort?.abort();
    abort = new AbortController();
    const now = Date.now();
    const wanted = metric;
    fetchSeries(deviceId, wanted, now, abort.signal).then(
      ({ unit, points }) => {
        // A late answer for a device or metric no longer shown is dropped.
        if (mine !== request) return;
        drawn = { metric: wanted, unit, points, now };
        showAnswer();
      },
      (error: unknown) => {
        if (mine !== request) return;
        // A failed refresh leaves the last answer up, and says so.
        if (drawn?.metric !== wanted) drawn = null;
        showAnswer();
        if (!drawn) canvas.setAttribute('aria-label', `${labelOf(wanted)} hourly mean, last 24 hours: could not be loaded.`);
        note.textContent = `The last 24 hours could not be loaded (${(error as Error).message}). The chart tries again in 5 minutes.`;
        note.hidden = false;
      },
    );
  }

  function showMetrics(): void {
    select.replaceChildren(...metrics.map((m) => el('option', { value: m, selected: m === metric }, labelOf(m))));
    picker.hidden = metrics.length < 2;
  }

  select.addEventListener('change', () => {
    metric = metrics.find((m) => m === select.value) ?? metric;
    drawn = null;
    showAnswer();
    load();
  });

  return {
    element: container,
    show(device, reading) {
      if (!device) {
        if (deviceId === null) return;
        deviceId = null;
        request++;
        abort?.abort();
        clearInterval(timer);
        container.hidden = true;
        return;
      }
      const offered = chartMetrics(device, reading);
      if (device.id === deviceId) {
        // A pollutant seen for the first time joins the list (none leaves it); the chart stays as it is.
        const merged = POLLUTANTS.filter((m) => metrics.includes(m) || offered.includes(m));
        if (device.kind === 'air_quality' && merged.join() !== metrics.join()) {
          metrics = merged;
          showMetrics();
        }
        return;
      }
      deviceId = device.id;
      metrics = offered;
      metric = offered[0] ?? 'no2';
      drawn = null;
      showMetrics();
      container.hidden = false;
      showAnswer();
      clearInterval(timer);
      timer = setInterval(load, REFRESH_MS);
      load();
    },
  };
}
