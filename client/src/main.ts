import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type LngLatBoundsLike } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 looks for its worker next to its own module file, which a bundle does not keep; hand
// it the URL of the worker that Vite emits (the file is self-contained).
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { io, type Socket } from 'socket.io-client';
import { streetLabel, type AreaGeography, type StreetProperties } from '../../core/area.js';
import type { DeviceKind } from '../../core/device.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/events.js';
import { offlineStyle } from './basemap.js';
import { renderDeviceDetails } from './deviceDetails.js';
import { renderDeviceTable } from './deviceTable.js';
import { buildLayers } from './layers.js';
import { renderLegend } from './legend.js';
import { applyReadings, applySnapshot, emptyState, type LiveState } from './liveState.js';
import { deviceSummary } from './status.js';
import { streetStatuses } from './streetStatus.js';
import { renderStreetTable, streetRows } from './streetTable.js';
import './styles.css';

setWorkerUrl(maplibreWorkerUrl);

interface ClientConfig {
  basemapStyleUrl: string | null;
}

async function getJson<T>(path: string): Promise<T | null> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`the page has no #${id}`);
  return found as T;
}

const connection = element<HTMLElement>('connection');
const table = element<HTMLTableElement>('device-table');
const streetTable = element<HTMLTableElement>('street-table');
const selected = element<HTMLElement>('selected-device');

let state: LiveState = emptyState;
let selectedId: string | null = null;
let area: AreaGeography | null = null;
let streetColouring: DeviceKind = 'air_quality';
// The map arrives after the live data can: WebGL start-up is the slowest part of the page, so the
// socket connects first and the table fills without waiting for it.
let map: MapLibreMap | undefined;
let overlay: MapLibreOverlay | undefined;
let framePending = false;
let fittedToDevices = false;

function render(): void {
  framePending = false;
  renderDeviceTable(table, state, select, selectedId);
  renderStreetTable(streetTable, streetRows(streetStatuses(state), state));
  const device = selectedId ? state.devices.get(selectedId) : undefined;
  renderDeviceDetails(selected, device, device ? state.latest.get(device.id) : undefined);
  if (!map || !overlay) return;
  overlay.setProps({ layers: buildLayers({ state, area, selectedId, streetColouring, zoom: map.getZoom() }) });
  const wards = area ? ` in ${area.wards.features.length} wards` : '';
  map.getCanvas().setAttribute('aria-label', `Map of ${state.devices.size} devices${wards}. The tables below list the same devices, streets and values.`);
  if (!area && !fittedToDevices && state.devices.size > 0) {
    // Without geography, frame the devices themselves.
    const devices = [...state.devices.values()];
    const lons = devices.map((d) => d.lon);
    const lats = devices.map((d) => d.lat);
    map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 48, maxZoom: 15 });
    fittedToDevices = true;
  }
}

function scheduleRender(): void {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(render);
}

function select(id: string): void {
  selectedId = selectedId === id ? null : id;
  scheduleRender();
}

function connectLive(): void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  const setConnection = (text: string, live: boolean) => {
    connection.textContent = text;
    connection.dataset.live = String(live);
  };
  socket.on('connect', () => setConnection('Live', true));
  socket.on('disconnect', () => setConnection('Reconnecting…', false));
  socket.on('snapshot:v1', (snapshot) => {
    state = applySnapshot(state, snapshot);
    scheduleRender();
  });
  socket.on('readings:v1', (readings) => {
    const next = applyReadings(state, readings);
    if (next === state) return;
    state = next;
    scheduleRender();
  });
}

function streetTooltip(street: { properties: StreetProperties } | undefined): string | null {
  if (!street) return null;
  const worst = streetStatuses(state).get(street.properties.usrn)?.worst[streetColouring];
  return worst ? `${streetLabel(street.properties)}\n${streetColouring === 'air_quality' ? 'Worst air quality' : 'Slowest traffic'}: ${worst.label}` : null;
}

/** The area's name, and a notice that cannot be missed when the area is synthetic. */
function showArea(geography: AreaGeography): void {
  element('area-name').textContent = geography.synthetic ? `${geography.name} (synthetic)` : geography.name;
  const notice = element('area-notice');
  element('area-notice-title').hidden = !geography.synthetic;
  element('area-notice-text').textContent = geography.notice ?? (geography.synthetic ? 'The wards, streets and sensors are invented.' : '');
  notice.hidden = !geography.synthetic && !geography.notice;
  element('map-badge').hidden = !geography.synthetic;
}

function watchStreetColouring(): void {
  const inputs = [...document.querySelectorAll<HTMLInputElement>('input[name="street-colouring"]')];
  const apply = () => {
    // Read the form rather than assume the default: a browser may restore the choice on reload.
    streetColouring = inputs.find((input) => input.checked)?.value === 'traffic' ? 'traffic' : 'air_quality';
    renderLegend(element('legend'), streetColouring);
    scheduleRender();
  };
  for (const input of inputs) input.addEventListener('change', apply);
  apply();
}

async function startMap(): Promise<void> {
  const [config, geography] = await Promise.all([getJson<ClientConfig>('/api/v1/client-config'), getJson<AreaGeography>('/api/v1/area')]);
  area = geography;
  if (area) showArea(area);
  map = new MapLibreMap({
    container: 'map',
    style: config?.basemapStyleUrl ?? offlineStyle(area),
    // Room at the top for the "Synthetic demo area" badge, so it covers none of the area at first.
    ...(area
      ? { bounds: area.bounds as LngLatBoundsLike, fitBoundsOptions: { padding: { top: area.synthetic ? 56 : 24, bottom: 24, left: 24, right: 24 } } }
      : { center: [-1.5, 52.5], zoom: 6 }),
    // The area's attribution (the OGL statement for imported OS and ONS data) shows over any style.
    attributionControl: { compact: false, ...(area ? { customAttribution: area.attribution } : {}) },
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
  overlay = new MapLibreOverlay({
    interleaved: true,
    layers: [],
    onClick: (info) => {
      const device = (info.object as { device?: { id: string } } | undefined)?.device;
      if (device) select(device.id);
    },
    getTooltip: (info) => {
      if (info.layer?.id === 'street-status') return streetTooltip(info.object as { properties: StreetProperties } | undefined);
      const device = (info.object as { device?: { id: string } } | undefined)?.device;
      const known = device ? state.devices.get(device.id) : undefined;
      return known ? `${known.name}\n${deviceSummary(known, state.latest.get(known.id))}` : null;
    },
  });
  map.addControl(overlay);
  // Which ward names fit without overlapping depends on the zoom.
  map.on('zoomend', scheduleRender);
  scheduleRender();
}

watchStreetColouring();
connectLive();
startMap().catch((error: unknown) => {
  connection.textContent = `The map could not start: ${(error as Error).message}`;
  console.error(error);
});
