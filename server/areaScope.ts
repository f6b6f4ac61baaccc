import { streetLabel, type AreaGeography } from '../core/area.js';
import type { LocatedDevice } from '../core/device.js';
import type { AggregateScope, AggregatesRepository } from '../db/aggregatesRepository.js';
import { ApiError, notFound } from './errors.js';

/**
 * A device, a street (USRN) or a ward (ONS code): what the store's queries are asked about. Parsed
 * and checked against the registry and the loaded geography before any query runs, so an unknown
 * one is a 404 with a stable code, not an empty answer.
 */
export interface AreaRef {
  scope: AggregateScope;
  /** Device id, ward code, or USRN as text. */
  id: string;
  /** A name people know it by: the device's name, the ward's, the street's (or "USRN n"). */
  name: string;
}

export const SCOPE_OF_PATH = { devices: 'device', wards: 'ward', streets: 'street' } as const satisfies Record<string, AggregateScope>;
export type ScopePath = keyof typeof SCOPE_OF_PATH;

const WARD_CODE = /^[A-Z][0-9]{8}$/;
const USRN = /^[1-9][0-9]{0,11}$/;

export interface AreaLookup {
  device(id: string): Promise<LocatedDevice | undefined>;
  area(): AreaGeography | null;
}

export async function resolveArea(lookup: AreaLookup, path: ScopePath, rawId: string): Promise<AreaRef> {
  const scope = SCOPE_OF_PATH[path];
  if (scope === 'device') {
    const device = await lookup.device(rawId);
    if (!device) throw notFound('device', rawId);
    return { scope, id: device.id, name: device.name };
  }
  const area = lookup.area();
  if (scope === 'ward') {
    if (!WARD_CODE.test(rawId)) throw new ApiError(400, 'api.invalid_ward_code', `"${rawId}" is not a ward code: a letter and eight digits, such as E05000819.`);
    const ward = area?.wards.features.find((feature) => feature.properties.code === rawId);
    if (!ward) throw notFound('ward', rawId);
    return { scope, id: rawId, name: ward.properties.name };
  }
  if (!USRN.test(rawId)) throw new ApiError(400, 'api.invalid_usrn', `"${rawId}" is not a USRN: a whole number of up to 12 digits.`);
  const street = area?.streets.features.find((feature) => String(feature.properties.usrn) === rawId);
  if (!street) throw notFound('street', rawId);
  return { scope, id: rawId, name: streetLabel(street.properties) };
}

export interface AreaDevices {
  /** The devices the figures cover, sorted by id (see areaDeviceIds). */
  ids: string[];
  /** Every registered device by id. */
  registry: ReadonlyMap<string, LocatedDevice>;
}

/** The devices an area's figures over [from, to) cover, and the registry to look them up in. */
export async function areaDevices(
  area: AreaRef,
  deps: { devices(): Promise<LocatedDevice[]>; aggregates: Pick<AggregatesRepository, 'devicesIn'> },
  from: Date,
  to: Date,
): Promise<AreaDevices> {
  const all = await deps.devices();
  const ids = areaDeviceIds(area, all, await deps.aggregates.devicesIn(area.scope, area.id, from, to));
  return { ids, registry: new Map(all.map((device) => [device.id, device])) };
}

/**
 * The devices an area's figures cover: those with readings there in the period (a mobile device
 * counts where it went) and those registered there, so a silent device shows as missing data
 * rather than vanishing from the figures. Sorted by id.
 */
export function areaDeviceIds(area: AreaRef, registry: readonly LocatedDevice[], withReadings: readonly string[]): string[] {
  if (area.scope === 'device') return [area.id];
  const ids = new Set(withReadings);
  for (const device of registry) {
    const here = area.scope === 'ward' ? device.location.wardCode === area.id : String(device.location.usrn) === area.id;
    if (here) ids.add(device.id);
  }
  return [...ids].sort();
}
