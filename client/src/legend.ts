import { DAQI_COLOURS, daqiBand, type DaqiIndex } from '../../core/daqi.js';
import type { DeviceKind } from '../../core/device.js';
import { CONGESTION_LEVELS, CONGESTION_LEVEL_TEXT } from '../../core/traffic.js';
import { PLAIN_STREET } from './basemap.js';
import { FLOW_WIDTHS, WARD_LINE } from './layers.js';
import { CONGESTION_COLOURS, NO_DATA_COLOUR, SPEED_CLASSES } from './status.js';
import { WARD_SHADING, shadingTitle, type WardMetric } from './wardShading.js';

/**
 * The legend for every map layer, built from the same tables the colours come from. The street
 * entries follow the chosen street colouring, so it only ever describes what is drawn.
 */

const STREET_SAMPLE: Record<DeviceKind, string> = { air_quality: DAQI_COLOURS[3] as string, traffic: SPEED_CLASSES[1]?.colour as string };

const STREET_HINT: Record<DeviceKind, string> = {
  air_quality: 'A street with air-quality monitors on it takes the colour of its worst latest reading, on the circles’ scale below.',
  traffic:
    'A street with traffic counters on it takes the colour of its slowest counter: its congestion (speed against the speed traffic flows at on the empty street at night) once that has been learned, its speed on the squares’ scale until then. The busier the street, the wider its line.',
};

function wardShadingLegend(metric: WardMetric | null): string {
  if (metric === null) return '';
  const items = WARD_SHADING[metric].map((entry) => `<li><span class="swatch" style="background:${entry.colour}"></span>${entry.label}</li>`).join('');
  return `
    <h3>Ward shading: ${shadingTitle(metric)}</h3>
    <p class="hint">The mean of the latest readings of the ward’s devices. The UK objectives are for a year’s mean, so a live value over one is a warning sign, not an exceedance. Wards without a reading are not shaded.</p>
    <ul class="legend-list">${items}</ul>`;
}

function trafficStreetLegend(): string {
  const congestion = CONGESTION_LEVELS.map((level) => `<li><span class="swatch line" style="background:${CONGESTION_COLOURS[level]}"></span>${CONGESTION_LEVEL_TEXT[level]}</li>`).join('');
  const widths = FLOW_WIDTHS.map((step) => `<li><span class="swatch line" style="background:#6baed6;height:${4 + step.extra}px"></span>${step.label}</li>`).join('');
  return `
    <ul class="legend-list">${congestion}</ul>
    <ul class="legend-list">${widths}</ul>`;
}

export function renderLegend(container: HTMLElement, streetColouring: DeviceKind, wardMetric: WardMetric | null = null): void {
  const daqiItems = DAQI_COLOURS.map((colour, i) => {
    const index = (i + 1) as DaqiIndex;
    return `<li><span class="swatch circle" style="background:${colour}"></span>${index} ${daqiBand(index)}</li>`;
  }).join('');
  const speedItems = SPEED_CLASSES.map((entry) => `<li><span class="swatch square" style="background:${entry.colour}"></span>${entry.label}</li>`).join('');
  const grey = `rgb(${NO_DATA_COLOUR.join(',')})`;
  const sample = STREET_SAMPLE[streetColouring];
  container.innerHTML = `
    <h2>Legend</h2>
    <h3>Wards</h3>
    <ul class="legend-list"><li><span class="swatch line ward" style="background:rgb(${WARD_LINE.join(',')})"></span>Ward boundary, with the ward’s name inside</li></ul>
    <h3>Streets</h3>
    <p class="hint">${STREET_HINT[streetColouring]} Main roads are drawn wider.</p>
    <ul class="legend-list">
      <li><span class="swatch line main" style="background:${sample}"></span>Main road with sensors</li>
      <li><span class="swatch line" style="background:${sample}"></span>Other street with sensors</li>
      <li><span class="swatch line plain" style="background:${PLAIN_STREET}"></span>Street without sensors, or no reading yet</li>
    </ul>${streetColouring === 'traffic' ? trafficStreetLegend() : ''}${wardShadingLegend(wardMetric)}
    <h3>Air quality (circles)</h3>
    <p class="hint">Daily Air Quality Index (DAQI) colours for the latest reading. Indicative: the official index averages over hours.</p>
    <ul class="legend-list daqi">${daqiItems}</ul>
    <h3>Traffic (squares)</h3>
    <p class="hint">Mean speed of the latest count.</p>
    <ul class="legend-list">${speedItems}</ul>
    <ul class="legend-list"><li><span class="swatch circle" style="background:${grey}"></span>No reading yet</li></ul>
    <h3>Devices not reporting</h3>
    <ul class="legend-list">
      <li><span class="swatch badge" aria-hidden="true">!</span>Late: silent for over twice its reporting interval</li>
      <li><span class="swatch badge" aria-hidden="true">×</span>Offline: silent for longer than the offline time, drawn grey; an alert is raised</li>
    </ul>`;
}
