import { DAQI_COLOURS, daqiBand, type DaqiIndex } from '../../core/daqi.js';
import { NO_DATA_COLOUR, SPEED_CLASSES } from './status.js';

/** The legend for both device layers, built from the same tables the colours come from. */
export function renderLegend(container: HTMLElement): void {
  const daqiItems = DAQI_COLOURS.map((colour, i) => {
    const index = (i + 1) as DaqiIndex;
    return `<li><span class="swatch circle" style="background:${colour}"></span>${index} ${daqiBand(index)}</li>`;
  }).join('');
  const speedItems = SPEED_CLASSES.map((entry) => `<li><span class="swatch square" style="background:${entry.colour}"></span>${entry.label}</li>`).join('');
  const grey = `rgb(${NO_DATA_COLOUR.join(',')})`;
  container.innerHTML = `
    <h2>Legend</h2>
    <h3>Air quality (circles)</h3>
    <p class="hint">Daily Air Quality Index colours for the latest reading. Indicative: the official index averages over hours.</p>
    <ul class="legend-list daqi">${daqiItems}</ul>
    <h3>Traffic (squares)</h3>
    <p class="hint">Mean speed of the latest count.</p>
    <ul class="legend-list">${speedItems}</ul>
    <ul class="legend-list"><li><span class="swatch circle" style="background:${grey}"></span>No reading yet</li></ul>`;
}
