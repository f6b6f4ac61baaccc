import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, IconLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, LineString, MultiLineString } from 'geojson';
import type { AreaGeography, StreetProperties } from '../../core/area.js';
import type { DeviceKind, LocatedDevice } from '../../core/device.js';
import type { DeviceHealth } from '../../core/deviceHealth.js';
import { LABEL_PIXELS, LABEL_WRAP_EM, labelAspect, visibleLabels, wardLabelSizeM } from './labelLayout.js';
import { labelPoint } from './labelPoint.js';
import type { LiveState } from './liveState.js';
import { NO_DATA_COLOUR, deviceColour, type Rgb } from './status.js';
import { streetStatuses, type StreetStatus } from './streetStatus.js';
import { shadingColour, wardValues, type WardMetric } from './wardShading.js';

/**
 * deck.gl layers as a pure function of what is known: no loading, no sockets. From the bottom:
 * streets coloured by their devices' worst reading, ward boundaries, ward names, then the devices.
 * Air-quality devices are circles, traffic counters squares, so the kind reads without colour;
 * every marker and coloured street has a dark outline that keeps pale colours visible on any map.
 */

export interface LayerInput {
  state: LiveState;
  area: AreaGeography | null;
  selectedId: string | null;
  /** Which kind of reading colours the streets: a DAQI index and a speed cannot share a scale. */
  streetColouring: DeviceKind;
  /** The map's zoom: ward names that would overlap at it are left out. */
  zoom: number;
  /** Layers switched on (all, when left out). */
  show?: LayerToggles;
  /** The metric the wards are shaded by; null or left out: no shading. */
  wardMetric?: WardMetric | null;
  /** Each device's health: late and offline devices carry a badge. */
  health?: ReadonlyMap<string, DeviceHealth>;
  /** Each street's status (streetStatuses, with the counters' free-flow speeds); from `state` when left out. */
  streets?: ReadonlyMap<number, StreetStatus>;
}

export interface LayerToggles {
  airQuality: boolean;
  traffic: boolean;
  /** Streets coloured by their devices. */
  streets: boolean;
}

export const ALL_LAYERS: LayerToggles = { airQuality: true, traffic: true, streets: true };

/** Extra width, in pixels, of a street coloured by traffic, by its busiest counter's flow (vehicles/h). */
export const FLOW_WIDTHS: readonly { from: number; extra: number; label: string }[] = [
  { from: 0, extra: 0, label: 'under 300 vehicles/h' },
  { from: 300, extra: 2, label: '300–800 vehicles/h' },
  { from: 800, extra: 4, label: '800–1,500 vehicles/h' },
  { from: 1500, extra: 7, label: '1,500 vehicles/h or more' },
];

export function flowWidth(flow: number | null): number {
  if (flow === null) return 0;
  let extra = 0;
  for (const step of FLOW_WIDTHS) if (flow >= step.from) extra = step.extra;
  return extra;
}

interface HealthBadge {
  device: LocatedDevice;
  text: string;
}

/** Late devices carry "!", offline ones "×": a shape, not a colour, so it reads for everyone. */
const HEALTH_BADGE = { late: '!', offline: '×' } as const;

interface Marker {
  device: LocatedDevice;
  colour: Rgb;
}

export interface WardLabel {
  code: string;
  name: string;
  position: [number, number];
  /** Text size in metres on the ground, so the name fits the ward's free room at any zoom. */
  sizeM: number;
}

type StreetFeature = Feature<LineString | MultiLineString, StreetProperties>;

const OUTLINE: Rgb = [33, 33, 33];
const SELECTED: Rgb = [0, 94, 184];
/** A slate blue-purple: apart from the DAQI and speed scales, over 6:1 against the pale ward fill. */
export const WARD_LINE: Rgb = [74, 78, 138];
const WARD_TEXT: Rgb = [45, 48, 100];
const HALO: [number, number, number, number] = [255, 255, 255, 210];
const FONT = 'system-ui, "Segoe UI", Roboto, Arial, sans-serif';

/** Street widths in pixels: main roads wider, and the casing wider still so the colour has an edge. */
const STREET_WIDTH = { main: 7, local: 4 };
const CASING = 3;

// A filled square as a mask icon: tinted per device by getColor. Inline, so nothing is fetched.
const SQUARE_ICON = {
  url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#fff"/></svg>')}`,
  width: 64,
  height: 64,
  mask: true,
};

// Label points are costly for full-resolution wards, and depend only on the geography and where
// the devices are, which change far less often than readings: keep the last answer for each area.
const wardLabelCache = new WeakMap<AreaGeography, { key: string; labels: WardLabel[] }>();

/**
 * Each ward's name at the point with the most room inside it, keeping clear of the devices and of
 * the streets that have devices (the ones drawn coloured and wide over the basemap).
 */
export function wardLabels(area: AreaGeography, devices: Iterable<LocatedDevice>): WardLabel[] {
  const located = [...devices];
  const key = located.map((d) => `${d.lon},${d.lat},${d.location.usrn}`).join(';');
  const cached = wardLabelCache.get(area);
  if (cached?.key === key) return cached.labels;
  const usrns = new Set(located.map((device) => device.location.usrn));
  const lines = area.streets.features
    .filter((street) => usrns.has(street.properties.usrn))
    .flatMap((street) => (street.geometry.type === 'LineString' ? [street.geometry.coordinates] : street.geometry.coordinates));
  const obstacles = { points: located.map((device) => [device.lon, device.lat]), lines };
  const labels = area.wards.features.map((ward) => {
    const { position, roomM } = labelPoint(ward.geometry, obstacles, labelAspect(ward.properties.name));
    return { code: ward.properties.code, name: ward.properties.name, position, sizeM: wardLabelSizeM(ward.properties.name, roomM) };
  });
  wardLabelCache.set(area, { key, labels });
  return labels;
}

/** The streets to colour: those with a device of this kind that has a usable reading. */
export function colouredStreets(area: AreaGeography, statuses: ReadonlyMap<number, StreetStatus>, kind: DeviceKind): StreetFeature[] {
  return area.streets.features.filter((street) => statuses.get(street.properties.usrn)?.worst[kind]);
}

function streetLayers(area: AreaGeography, statuses: ReadonlyMap<number, StreetStatus>, kind: DeviceKind): Layer[] {
  const data = colouredStreets(area, statuses, kind);
  // Coloured by traffic, a street is also as wide as it is busy.
  const width = (street: StreetFeature) =>
    (street.properties.main ? STREET_WIDTH.main : STREET_WIDTH.local) + (kind === 'traffic' ? flowWidth(statuses.get(street.properties.usrn)?.trafficFlow ?? null) : 0);
  return [
    new GeoJsonLayer<StreetProperties>({
      id: 'street-status-casing',
      data,
      filled: false,
      lineWidthUnits: 'pixels',
      lineCapRounded: true,
      lineJointRounded: true,
      getLineWidth: (street) => width(street as StreetFeature) + CASING,
      getLineColor: OUTLINE,
    }),
    new GeoJsonLayer<StreetProperties>({
      id: 'street-status',
      data,
      filled: false,
      pickable: true,
      lineWidthUnits: 'pixels',
      lineCapRounded: true,
      lineJointRounded: true,
      getLineWidth: (street) => width(street as StreetFeature),
      getLineColor: (street) => statuses.get(street.properties.usrn)?.worst[kind]?.colour ?? OUTLINE,
    }),
  ];
}

// Readings redraw the layers far more often than the zoom changes: keep the last visible set.
let lastVisible: { labels: WardLabel[]; zoom: number; visible: WardLabel[] } | undefined;

function visibleWardLabels(labels: WardLabel[], zoom: number): WardLabel[] {
  if (lastVisible?.labels !== labels || lastVisible.zoom !== zoom) lastVisible = { labels, zoom, visible: visibleLabels(labels, zoom) };
  return lastVisible.visible;
}

function wardLayers(area: AreaGeography, state: LiveState, zoom: number): Layer[] {
  return [
    // A pale halo under the line keeps the boundary readable over a busy external basemap.
    new GeoJsonLayer({
      id: 'ward-boundary-halo',
      data: area.wards,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: 5,
      getLineColor: HALO,
    }),
    new GeoJsonLayer({
      id: 'ward-boundaries',
      data: area.wards,
      filled: false,
      lineWidthUnits: 'pixels',
      getLineWidth: 2.5,
      getLineColor: WARD_LINE,
    }),
    new TextLayer<WardLabel>({
      id: 'ward-labels',
      data: visibleWardLabels(wardLabels(area, state.devices.values()), zoom),
      getPosition: (label) => label.position,
      getText: (label) => label.name,
      getSize: (label) => label.sizeM,
      sizeUnits: 'meters',
      sizeMinPixels: LABEL_PIXELS.min,
      sizeMaxPixels: LABEL_PIXELS.max,
      getColor: WARD_TEXT,
      fontFamily: FONT,
      fontWeight: 700,
      // Imported names are not all ASCII (Welsh wards, accents): build the atlas from the names.
      characterSet: 'auto',
      wordBreak: 'break-word',
      maxWidth: LABEL_WRAP_EM,
      // A halo about 2.5 px wide at 15 px: the outline is measured in the 64 px atlas and cannot be
      // wider than the atlas' buffer round each glyph, hence the wider buffer and radius.
      outlineWidth: 10,
      outlineColor: [255, 255, 255, 235],
      fontSettings: { sdf: true, buffer: 12, radius: 16 },
    }),
  ];
}

function wardShadingLayer(area: AreaGeography, state: LiveState, metric: WardMetric): Layer {
  const values = wardValues(state, metric);
  return new GeoJsonLayer({
    id: 'ward-shading',
    data: area.wards,
    filled: true,
    stroked: false,
    opacity: 0.5,
    getFillColor: (ward) => {
      const value = values.get((ward.properties as { code: string }).code);
      return value ? shadingColour(metric, value.mean) : [0, 0, 0, 0];
    },
    updateTriggers: { getFillColor: [metric, values] },
  });
}

export function buildLayers({ state, area, selectedId, streetColouring, zoom, show = ALL_LAYERS, wardMetric = null, health, streets }: LayerInput): Layer[] {
  const markers: Marker[] = [...state.devices.values()]
    .filter((device) => (device.kind === 'air_quality' ? show.airQuality : show.traffic))
    // An offline device's last value is stale: it is drawn grey (with its badge), not in the colour of a reading long gone.
    .map((device) => ({ device, colour: health?.get(device.id)?.state === 'offline' ? NO_DATA_COLOUR : deviceColour(device, state.latest.get(device.id)) }));
  const airQuality = markers.filter((marker) => marker.device.kind === 'air_quality');
  const traffic = markers.filter((marker) => marker.device.kind === 'traffic');
  const lineColour = (marker: Marker) => (marker.device.id === selectedId ? SELECTED : OUTLINE);
  const layers: Layer[] = area
    ? [
        ...(wardMetric ? [wardShadingLayer(area, state, wardMetric)] : []),
        ...(show.streets ? streetLayers(area, streets ?? streetStatuses(state), streetColouring) : []),
        ...wardLayers(area, state, zoom),
      ]
    : [];
  const badges: HealthBadge[] = [];
  for (const { device } of markers) {
    const condition = health?.get(device.id)?.state;
    if (condition === 'late' || condition === 'offline') badges.push({ device, text: HEALTH_BADGE[condition] });
  }

  layers.push(
    new IconLayer<Marker>({
      id: 'traffic-outline',
      data: traffic,
      getPosition: (marker) => [marker.device.lon, marker.device.lat],
      getIcon: () => SQUARE_ICON,
      getSize: (marker) => (marker.device.id === selectedId ? 24 : 19),
      getColor: lineColour,
      updateTriggers: { getColor: selectedId, getSize: selectedId },
    }),
    new IconLayer<Marker>({
      id: 'traffic-devices',
      data: traffic,
      pickable: true,
      getPosition: (marker) => [marker.device.lon, marker.device.lat],
      getIcon: () => SQUARE_ICON,
      getSize: (marker) => (marker.device.id === selectedId ? 18 : 14),
      getColor: (marker) => marker.colour,
      updateTriggers: { getSize: selectedId },
    }),
    new ScatterplotLayer<Marker>({
      id: 'air-quality-devices',
      data: airQuality,
      pickable: true,
      radiusUnits: 'pixels',
      getRadius: (marker) => (marker.device.id === selectedId ? 11 : 8),
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: (marker) => (marker.device.id === selectedId ? 3 : 2),
      getLineColor: lineColour,
      getFillColor: (marker) => marker.colour,
      getPosition: (marker) => [marker.device.lon, marker.device.lat],
      updateTriggers: { getRadius: selectedId, getLineWidth: selectedId, getLineColor: selectedId },
    }),
    // A ring round the selected device, so the selection shows by shape as well as by colour.
    new ScatterplotLayer<Marker>({
      id: 'selected-device-ring',
      data: markers.filter((marker) => marker.device.id === selectedId),
      radiusUnits: 'pixels',
      getRadius: 18,
      filled: false,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      getLineColor: SELECTED,
      getPosition: (marker) => [marker.device.lon, marker.device.lat],
    }),
    new TextLayer<HealthBadge>({
      id: 'device-health-badges',
      data: badges,
      getPosition: (badge) => [badge.device.lon, badge.device.lat],
      getText: (badge) => badge.text,
      getSize: 16,
      getPixelOffset: [14, -14],
      getColor: OUTLINE,
      fontFamily: FONT,
      fontWeight: 700,
      characterSet: ['!', '×'],
      // A white tag with a dark border, so the glyph stands clear of the marker and any basemap.
      background: true,
      getBackgroundColor: [255, 255, 255, 255],
      getBorderColor: OUTLINE,
      getBorderWidth: 1.5,
      backgroundPadding: [3, 1],
    }),
  );
  return layers;
}
