import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type LngLatBoundsLike } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 looks for its worker next to its own module file, which a bundle does not keep; hand
// it the URL of the worker that Vite emits (the file is self-contained).
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { io, type Socket } from 'socket.io-client';
import { streetLabel, type AreaGeography, type StreetProperties } from '../../core/area.js';
import type { Alert } from '../../core/alerts.js';
import type { DeviceKind } from '../../core/device.js';
import type { HealthRules } from '../../core/deviceHealth.js';
import type { BBox, ClientToServerEvents, LiveView, ServerToClientEvents } from '../../core/events.js';
import { announcement, mergeAlerts, renderAlerts } from './alertsPanel.js';
import { offlineStyle } from './basemap.js';
import { createDeviceChart } from './deviceChart.js';
import { renderDeviceDetails } from './deviceDetails.js';
import { healthOf, renderSilentDevices, silentDevices } from './deviceHealthList.js';
import { createDeviceQuality } from './deviceQuality.js';
import { createDeviceTable } from './deviceTable.js';
import { ALL_LAYERS, buildLayers, type LayerToggles } from './layers.js';
import { renderLegend } from './legend.js';
import { applyReadings, applySnapshot, emptyState, type LiveState } from './liveState.js';
import { NO_READING_THIS_HOUR } from './replay.js';
import { createReplayControl } from './replayControl.js';
import { deviceSummary } from './status.js';
import { streetStatuses } from './streetStatus.js';
import { renderStreetTable, streetRows } from './streetTable.js';
import { WARD_METRICS, type WardMetric } from './wardShading.js';
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
const streetTable = element<HTMLTableElement>('street-table');
const streetPager = element<HTMLElement>('street-pages');
let streetPage = 0;
const selected = element<HTMLElement>('selected-device');
const alertsElement = element<HTMLElement>('alerts');
const announcer = element<HTMLElement>('alert-announcer');
const silentElement = element<HTMLElement>('silent-devices');

/** Above this many devices, the server sends only what is in the map's view (and the table says so). */
const LARGE_ESTATE = 5000;
/** Health moves on with the clock, not only with readings. */
const HEALTH_TICK_MS = 10_000;

let state: LiveState = emptyState;
let selectedId: string | null = null;
let area: AreaGeography | null = null;
let streetColouring: DeviceKind = 'air_quality';
let alerts = new Map<number, Alert>();
let alertsChanged = true;
let healthRules: HealthRules = { offlineAfterS: 1800 };
let freeFlowKmh: Readonly<Record<string, number>> = {};
let show: LayerToggles = ALL_LAYERS;
let wardMetric: WardMetric | null = null;
/** The box the server was last told about; null while everything is sent. */
let viewBox: BBox | null = null;
let lastSilent = '';
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
// The map arrives after the live data can: WebGL start-up is the slowest part of the page, so the
// socket connects first and the table fills without waiting for it.
let map: MapLibreMap | undefined;
let overlay: MapLibreOverlay | undefined;
let framePending = false;
let fittedToDevices = false;

const deviceTable = createDeviceTable({
  table: element<HTMLTableElement>('device-table'),
  filter: element<HTMLInputElement>('device-filter'),
  kind: element<HTMLSelectElement>('device-kind'),
  count: element<HTMLElement>('device-count'),
  pager: element<HTMLElement>('device-pages'),
  onSelect: select,
});
const deviceChart = createDeviceChart();
const deviceQuality = createDeviceQuality();
// Under the selected device's name: its health and completeness, then its chart.
const selectedExtras = document.createElement('div');
selectedExtras.append(deviceQuality.element, deviceChart.element);
// The time slider: while it replays an hour the page shows that hour, and live readings go on
// landing in `state` underneath, unseen until it is back to live.
const replay = createReplayControl({
  slider: element<HTMLInputElement>('replay-slider'),
  output: element<HTMLOutputElement>('replay-value'),
  live: element<HTMLButtonElement>('replay-live'),
  banners: [...document.querySelectorAll<HTMLElement>('.replay-banner')],
  onChange: scheduleRender,
});

/** Devices the server is not sending live: of a kind switched off, or outside the view box on a large estate. */
function notLive(): Set<string> {
  const hidden = new Set<string>();
  for (const device of state.devices.values()) {
    const kindOn = device.kind === 'air_quality' ? show.airQuality : show.traffic;
    const outside = viewBox !== null && (device.lon < viewBox[0] || device.lon > viewBox[2] || device.lat < viewBox[1] || device.lat > viewBox[3]);
    if (!kindOn || outside) hidden.add(device.id);
  }
  return hidden;
}

function renderAlertsAndHealth(health: ReturnType<typeof healthOf>): void {
  if (alertsChanged) {
    alertsChanged = false;
    renderAlerts(alertsElement, alerts, { acknowledge: (id) => void changeAlert(id, 'acknowledge'), resolve: (id) => void changeAlert(id, 'resolve'), showDevice }, (id) => state.devices.get(id)?.name ?? id);
  }
  const silent = silentDevices(state, health);
  // Redrawn only when it reads differently, so a keyboard user on one of its buttons keeps the focus.
  const key = silent.map((entry) => `${entry.device.id}:${entry.text}`).join('|');
  if (key !== lastSilent) {
    lastSilent = key;
    renderSilentDevices(silentElement, silent, showDevice);
  }
}

function render(): void {
  framePending = false;
  const shown = replay.view(state);
  const replaying = replay.replaying();
  const noReading = replaying ? NO_READING_THIS_HOUR : undefined;
  const health = healthOf(state, healthRules, Date.now());
  renderAlertsAndHealth(health);
  deviceTable.render(shown, selectedId, noReading, replaying ? undefined : { health, notLive: notLive() });
  // Worked out once a frame: the street table and the map's street layers both read it.
  const streets = streetStatuses(shown, freeFlowKmh);
  streetPage = renderStreetTable(streetTable, streetRows(streets, shown), streetPager, streetPage, (index) => {
    streetPage = index;
    scheduleRender();
  });
  const device = selectedId ? shown.devices.get(selectedId) : undefined;
  renderDeviceDetails(selected, device, device ? shown.latest.get(device.id) : undefined, { between: selectedExtras, ...(noReading ? { noReading } : {}) });
  deviceQuality.show(device, device ? health.get(device.id) : undefined);
  // The chart is always the last 24 hours; the live reading says which pollutants the device has.
  deviceChart.show(device, device ? state.latest.get(device.id) : undefined);
  if (!map || !overlay) return;
  overlay.setProps({
    layers: buildLayers({ state: shown, area, selectedId, streetColouring, zoom: map.getZoom(), show, wardMetric, streets, ...(replaying ? {} : { health }) }),
  });
  const wards = area ? ` in ${area.wards.features.length} wards` : '';
  const when = replay.replaying() ? ', replaying an hour of hourly means' : '';
  map.getCanvas().setAttribute('aria-label', `Map of ${shown.devices.size} devices${wards}${when}. The tables below list the same devices, streets and values.`);
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

/** Selects a device (from an alert or the silent list) and brings it into the map's view. */
function showDevice(id: string): void {
  selectedId = id;
  const device = state.devices.get(id);
  if (device && map) map.easeTo({ center: [device.lon, device.lat], zoom: Math.max(map.getZoom(), 14) });
  scheduleRender();
}

async function changeAlert(id: number, action: 'acknowledge' | 'resolve'): Promise<void> {
  try {
    const response = await fetch(`/api/v1/alerts/${id}/${action}`, { method: 'POST', headers: { accept: 'application/json' } });
    const body = (await response.json()) as Alert | { error: { message: string } };
    if (!response.ok || 'error' in body) throw new Error('error' in body ? body.error.message : `HTTP ${response.status}`);
    applyAlerts([body]);
  } catch (error) {
    announcer.textContent = `Could not ${action} the alert: ${(error as Error).message}`;
  }
}

function applyAlerts(incoming: readonly Alert[]): void {
  const said = announcement(alerts, incoming);
  if (said) announcer.textContent = said;
  alerts = mergeAlerts(alerts, incoming);
  alertsChanged = true;
  scheduleRender();
}

/** Tells the server what this page shows: the kinds switched on and, on a large estate, the area in view. */
function sendView(): void {
  const kinds: DeviceKind[] = [...(show.airQuality ? (['air_quality'] as const) : []), ...(show.traffic ? (['traffic'] as const) : [])];
  let bbox: BBox | null = null;
  if (map && state.devices.size > LARGE_ESTATE) {
    const bounds = map.getBounds();
    // A margin of half a screen each way, so a small pan does not show stale devices.
    const dx = (bounds.getEast() - bounds.getWest()) / 2;
    const dy = (bounds.getNorth() - bounds.getSouth()) / 2;
    bbox = [Math.max(-180, bounds.getWest() - dx), Math.max(-90, bounds.getSouth() - dy), Math.min(180, bounds.getEast() + dx), Math.min(90, bounds.getNorth() + dy)];
  }
  viewBox = bbox;
  const view: LiveView = { kinds, bbox };
  socket?.emit('view:v1', view);
  scheduleRender();
}

function connectLive(): void {
  const live: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  socket = live;
  const setConnection = (text: string, live: boolean) => {
    connection.textContent = text;
    connection.dataset.live = String(live);
  };
  live.on('connect', () => setConnection('Live', true));
  live.on('disconnect', () => setConnection('Reconnecting…', false));
  live.on('snapshot:v2', (snapshot) => {
    state = applySnapshot(state, snapshot);
    healthRules = snapshot.health;
    freeFlowKmh = snapshot.freeFlowKmh;
    // The snapshot is the whole list: alerts it no longer has were resolved over a day ago.
    const listed = new Set(snapshot.alerts.map((alert) => alert.id));
    alerts = mergeAlerts(new Map([...alerts].filter(([id]) => listed.has(id))), snapshot.alerts);
    alertsChanged = true;
    // A new connection starts with everything: tell the server again what this page shows.
    sendView();
  });
  live.on('alerts:v1', applyAlerts);
  live.on('readings:v1', (readings) => {
    const next = applyReadings(state, readings);
    if (next === state) return;
    state = next;
    if (!replay.replaying()) scheduleRender();
  });
}

function streetTooltip(street: { properties: StreetProperties } | undefined): string | null {
  if (!street) return null;
  const worst = streetStatuses(replay.view(state), freeFlowKmh).get(street.properties.usrn)?.worst[streetColouring];
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

function watchMapControls(): void {
  const colourings = [...document.querySelectorAll<HTMLInputElement>('input[name="street-colouring"]')];
  const toggles = [...document.querySelectorAll<HTMLInputElement>('input[name="layer"]')];
  const shading = element<HTMLSelectElement>('ward-metric');
  const apply = () => {
    // Read the form rather than assume the defaults: a browser may restore the choices on reload.
    streetColouring = colourings.find((input) => input.checked)?.value === 'traffic' ? 'traffic' : 'air_quality';
    const on = (value: keyof LayerToggles) => toggles.find((input) => input.value === value)?.checked ?? true;
    const next: LayerToggles = { airQuality: on('airQuality'), traffic: on('traffic'), streets: on('streets') };
    const kindsChanged = next.airQuality !== show.airQuality || next.traffic !== show.traffic;
    show = next;
    wardMetric = WARD_METRICS.find((metric) => metric === shading.value) ?? null;
    renderLegend(element('legend'), streetColouring, wardMetric);
    if (kindsChanged) sendView();
    scheduleRender();
  };
  for (const input of [...colourings, ...toggles, shading]) input.addEventListener('change', apply);
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
      const shown = replay.view(state);
      const known = device ? shown.devices.get(device.id) : undefined;
      return known ? `${known.name}\n${deviceSummary(known, shown.latest.get(known.id))}` : null;
    },
  });
  map.addControl(overlay);
  // Which ward names fit without overlapping depends on the zoom.
  map.on('zoomend', scheduleRender);
  // On a large estate the server sends only what is in view.
  map.on('moveend', () => {
    if (state.devices.size > LARGE_ESTATE) sendView();
  });
  scheduleRender();
}

watchMapControls();
connectLive();
setInterval(scheduleRender, HEALTH_TICK_MS);
startMap().catch((error: unknown) => {
  connection.textContent = `The map could not start: ${(error as Error).message}`;
  console.error(error);
});
