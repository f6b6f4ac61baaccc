import type { Layer } from '@deck.gl/core';
import { IconLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, Polygon, Position } from 'geojson';
import type { AreaGeography, WardProperties } from '../../core/area.js';
import type { Device } from '../../core/device.js';
import type { LiveState } from './liveState.js';
import { deviceColour, type Rgb } from './status.js';

/**
 * deck.gl layers as a pure function of what is known: no loading, no sockets. Air-quality devices
 * are circles, traffic counters squares, so the kind reads without colour; every marker has a dark
 * outline that stays visible on any fill.
 */

export interface LayerInput {
  state: LiveState;
  area: AreaGeography | null;
  selectedId: string | null;
}

interface Marker {
  device: Device;
  colour: Rgb;
}

const OUTLINE: [number, number, number] = [33, 33, 33];
const SELECTED: [number, number, number] = [0, 94, 184];

// A filled square as a mask icon: tinted per device by getColor. Inline, so nothing is fetched.
const SQUARE_ICON = {
  url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="#fff"/></svg>')}`,
  width: 64,
  height: 64,
  mask: true,
};

function wardLabelPosition(ward: Feature<Polygon, WardProperties>): Position {
  const ring = ward.geometry.coordinates[0] ?? [];
  let x = 0;
  let y = 0;
  for (const [lon, lat] of ring) {
    x += lon as number;
    y += lat as number;
  }
  return [x / ring.length, y / ring.length];
}

export function buildLayers({ state, area, selectedId }: LayerInput): Layer[] {
  const markers: Marker[] = [...state.devices.values()].map((device) => ({ device, colour: deviceColour(device, state.latest.get(device.id)) }));
  const airQuality = markers.filter((marker) => marker.device.kind === 'air_quality');
  const traffic = markers.filter((marker) => marker.device.kind === 'traffic');
  const lineColour = (marker: Marker) => (marker.device.id === selectedId ? SELECTED : OUTLINE);
  const layers: Layer[] = [];

  if (area) {
    layers.push(
      new TextLayer<Feature<Polygon, WardProperties>>({
        id: 'ward-labels',
        data: area.wards.features,
        getPosition: (ward) => wardLabelPosition(ward) as [number, number],
        getText: (ward) => ward.properties.name,
        getSize: 14,
        getColor: [60, 64, 120],
        fontFamily: 'system-ui, "Segoe UI", Roboto, Arial, sans-serif',
        fontWeight: 600,
        outlineWidth: 3,
        outlineColor: [255, 255, 255],
        fontSettings: { sdf: true },
      }),
    );
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
  );
  return layers;
}
