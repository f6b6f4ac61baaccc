import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, NavigationControl, setWorkerUrl, type LngLatBoundsLike } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre 6 looks for its worker next to its own module file, which a bundle does not keep; hand
// it the URL of the worker that Vite emits (the file is self-contained).
import maplibreWorkerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { io, type Socket } from 'socket.io-client';
import type { AreaGeography } from '../../core/area.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../core/events.js';
import { offlineStyle } from './basemap.js';
import { renderDeviceTable } from './deviceTable.js';
import { buildLayers } from './layers.js';
import { renderLegend } from './legend.js';
import { applyReadings, applySnapshot, emptyState, type LiveState } from './liveState.js';
import { deviceSummary } from './status.js';
import './styles.css';

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

setWorkerUrl(maplibreWorkerUrl);

async function boot(): Promise<void> {
  const [config, area] = await Promise.all([getJson<ClientConfig>('/api/v1/client-config'), getJson<AreaGeography>('/api/v1/area')]);
  const connection = element<HTMLElement>('connection');
  const table = element<HTMLTableElement>('device-table');
  const selected = element<HTMLElement>('selected-device');
  renderLegend(element('legend'));
  if (area) {
    element('area-name').textContent = area.name;
    const notice = element('area-notice');
    notice.textContent = area.notice ?? '';
    notice.hidden = !area.notice;
  }

  const map = new MapLibreMap({
    container: 'map',
    style: config?.basemapStyleUrl ?? offlineStyle(area),
    ...(area ? { bounds: area.bounds as LngLatBoundsLike, fitBoundsOptions: { padding: 24 } } : { center: [-1.5, 52.5], zoom: 6 }),
    attributionControl: { compact: false },
  });
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right');

  let state: LiveState = emptyState;
  let selectedId: string | null = null;
  let framePending = false;

  const overlay = new MapLibreOverlay({
    interleaved: true,
    layers: [],
    onClick: (info) => {
      const device = (info.object as { device?: { id: string } } | undefined)?.device;
      if (device) select(device.id);
    },
    getTooltip: (info) => {
      const device = (info.object as { device?: { id: string } } | undefined)?.device;
      const known = device ? state.devices.get(device.id) : undefined;
      return known ? `${known.name}\n${deviceSummary(known, state.latest.get(known.id))}` : null;
    },
  });
  map.addControl(overlay);

  function render(): void {
    framePending = false;
    overlay.setProps({ layers: buildLayers({ state, area, selectedId }) });
    renderDeviceTable(table, state, select, selectedId);
    const device = selectedId ? state.devices.get(selectedId) : undefined;
    selected.textContent = device ? `${device.name}: ${deviceSummary(device, state.latest.get(device.id))}` : 'None. Choose a device on the map or in the table.';
    map.getCanvas().setAttribute('aria-label', `Map of ${state.devices.size} devices. The table below lists the same devices and values.`);
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

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({ transports: ['websocket'] });
  const setConnection = (text: string, live: boolean) => {
    connection.textContent = text;
    connection.dataset.live = String(live);
  };
  socket.on('connect', () => setConnection('Live', true));
  socket.on('disconnect', () => setConnection('Reconnecting…', false));
  socket.on('snapshot:v1', (snapshot) => {
    state = applySnapshot(state, snapshot);
    if (!area && snapshot.devices.length > 0) {
      const lons = snapshot.devices.map((d) => d.lon);
      const lats = snapshot.devices.map((d) => d.lat);
      map.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 48, maxZoom: 15 });
    }
    scheduleRender();
  });
  socket.on('readings:v1', (readings) => {
    const next = applyReadings(state, readings);
    if (next === state) return;
    state = next;
    scheduleRender();
  });
}

boot().catch((error: unknown) => {
  const status = document.getElementById('connection');
  if (status) status.textContent = `The map could not start: ${(error as Error).message}`;
  console.error(error);
});
