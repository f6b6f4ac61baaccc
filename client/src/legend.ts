import { DAQI_COLOURS, daqiBand, type DaqiIndex } from '../../core/daqi.js';
import type { DeviceKind } from '../../core/device.js';
import { PLAIN_STREET } from './basemap.js';
import { WARD_LINE } from './layers.js';
import { NO_DATA_COLOUR, SPEED_CLASSES } from './status.js';

/**
 * The legend for every map layer, built from the same tables the colours come from. The street
 * entries follow the chosen street colouring, so it only ever describes what is drawn.
 */

const STREET_SAMPLE: Record<DeviceKind, string> = { air_quality: DAQI_COLOURS[3] as string, traffic: SPEED_CLASSES[1]?.colour as string };

const STREET_HINT: Record<DeviceKind, string> = {
  air_quality: 'A street with air-quality monitors on it takes the colour of its worst latest reading, on the circles’ scale below.',
  traffic: 'A street with traffic counters on it takes the colour of its slowest latest speed, on the squares’ scale below.',
};

export function renderLegend(container: HTMLElement, streetColouring: DeviceKind): void {
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
    </ul>
    <h3>Air quality (circles)</h3>
    <p class="hint">Daily Air Quality Index (DAQI) colours for the latest reading. Indicative: the official index averages over hours.</p>
    <ul class="legend-list daqi">${daqiItems}</ul>
    <h3>Traffic (squares)</h3>
    <p class="hint">Mean speed of the latest count.</p>
    <ul class="legend-list">${speedItems}</ul>
    <ul class="legend-list"><li><span class="swatch circle" style="background:${grey}"></span>No reading yet</li></ul>`;
}
