import { z } from 'zod';
import { DeviceIdSchema } from './ids.js';

export const DEVICE_KINDS = ['air_quality', 'traffic'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

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
