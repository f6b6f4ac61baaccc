import { z } from 'zod';
import { DeviceIdSchema } from './ids.js';

export const DEVICE_KINDS = ['air_quality', 'traffic'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

/**
 * The payload formats ingest decodes (docs/payloads.md). A device is registered with one; its
 * messages are decoded by that format's decoder in ingest/decoders/.
 */
export const PAYLOAD_FORMATS = ['smartplace', 'tts-v3', 'chirpstack-v4', 'sensor-community', 'senml', 'sensorthings'] as const;
export type PayloadFormat = (typeof PAYLOAD_FORMATS)[number];

/** A device as the browser and the open API see it: no credentials, no internal fields. */
export const DeviceSchema = z.object({
  id: DeviceIdSchema,
  name: z.string().min(1).max(200),
  kind: z.enum(DEVICE_KINDS),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  /** How often the device is expected to report, in seconds. */
  expectedIntervalS: z.number().int().positive(),
});
export type Device = z.infer<typeof DeviceSchema>;

/**
 * Where a device is in the council's location keys, from the geography joins (geo/): its ward, its
 * nearest street (USRN) within the configured distance and its nearest property (UPRN). Each part
 * is null when no geography is loaded or nothing is near enough.
 */
export const DeviceLocationSchema = z.object({
  wardCode: z.string().nullable(),
  wardName: z.string().nullable(),
  usrn: z.number().int().positive().nullable(),
  streetName: z.string().nullable(),
  /** Metres from the device to the nearest point of the street. */
  streetDistanceM: z.number().nonnegative().nullable(),
  uprn: z.number().int().positive().nullable(),
  /** Metres from the device to the property's point. */
  uprnDistanceM: z.number().nonnegative().nullable(),
});
export type DeviceLocation = z.infer<typeof DeviceLocationSchema>;

export const NO_LOCATION: DeviceLocation = {
  wardCode: null,
  wardName: null,
  usrn: null,
  streetName: null,
  streetDistanceM: null,
  uprn: null,
  uprnDistanceM: null,
};

/** A registered device with its location keys: what the API and the live map see. */
export const LocatedDeviceSchema = DeviceSchema.extend({ location: DeviceLocationSchema });
export type LocatedDevice = z.infer<typeof LocatedDeviceSchema>;
