import { z } from 'zod';
import { METRICS, type MetricValues } from './metrics.js';
import { DeviceIdSchema } from './ids.js';

/**
 * The native Smartplace payload (docs/payloads.md): one reading, or up to MAX_READINGS_PER_MESSAGE
 * readings, for the device named in the topic.
 */
export const MAX_READINGS_PER_MESSAGE = 100;

const MetricSchema = z.enum(METRICS);

export const LonLatSchema = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict();
export type LonLat = z.infer<typeof LonLatSchema>;

/** The ward and street a reading was joined to (geo/): its own position's, or its device's. */
export interface ReadingPlace {
  wardCode: string | null;
  usrn: number | null;
}

const NativeReadingSchema = z
  .object({
    time: z.iso.datetime({ offset: true }),
    values: z
      .partialRecord(MetricSchema, z.number())
      .refine((values) => Object.keys(values).length > 0, 'a reading needs at least one value'),
    /** Seconds the traffic counts cover; without it counts are taken over the device's interval. */
    period_s: z.number().int().positive().max(86_400).optional(),
    /** Where a mobile device was when it took the reading (WGS84); fixed devices leave it out. */
    position: LonLatSchema.optional(),
  })
  .strict();

export const NativePayloadSchema = z.union([
  NativeReadingSchema,
  z.object({ readings: z.array(NativeReadingSchema).min(1).max(MAX_READINGS_PER_MESSAGE) }).strict(),
]);

export type NativeReading = z.infer<typeof NativeReadingSchema>;
export type NativePayload = z.infer<typeof NativePayloadSchema>;

/** A validated reading as the rest of the product sees it. `time` is ISO 8601 UTC. */
export interface Reading {
  deviceId: string;
  time: string;
  values: MetricValues;
  periodS?: number;
  /** Set only when the payload carried a position (a mobile device). */
  position?: LonLat;
  /** Set by ingest before the reading is stored. */
  place?: ReadingPlace;
}

/** A stored reading on its way to browsers. Same shape as Reading; validated at the socket and MQTT boundaries. */
export const LiveReadingSchema = z.object({
  deviceId: DeviceIdSchema,
  time: z.iso.datetime({ offset: true }),
  values: z.partialRecord(MetricSchema, z.number()),
  periodS: z.number().int().positive().optional(),
});
export type LiveReading = z.infer<typeof LiveReadingSchema>;

// Range checks live with the metrics (no zod there, so the browser bundle stays free of it).
export { findRangeProblem, type RangeProblem } from './metrics.js';
