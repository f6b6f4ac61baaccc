import type { LonLat } from '../../core/reading.js';
import type { MetricValues, Metric } from '../../core/metrics.js';
import type { RejectReason } from '../../core/rejections.js';

/**
 * The contract between the payload decoders and the ingest pipeline. A decoder is a pure function
 * of one MQTT message (topic and bytes) and a context (the clock, registry look-ups): no I/O.
 */

export interface DecodedReading {
  /** ISO 8601 UTC with milliseconds (new Date(x).toISOString()); undefined when the message carries no time (the pipeline then uses the receive time). */
  time?: string;
  /** Already mapped to Smartplace metrics and converted to Smartplace units (µg/m³, °C, %RH, vehicles, km/h). NOT range-checked: the pipeline range-checks and time-checks after decoding. */
  values: MetricValues;
  periodS?: number;
  /** WGS84 position carried by the message (GPS), if any. */
  position?: LonLat;
}

export interface DecodeInput {
  topic: string;
  /** The device key taken from the topic by the format's topic pattern ({device} placeholder), if the pattern has one. */
  topicKey?: string;
  payload: Uint8Array;
}

export interface DecodeContext {
  now: Date;
  /** SensorThings only: what a Datastream id measures, from the device registry; undefined if not registered. */
  datastream?(id: string): { metric: Metric; unit: string } | undefined;
}

export type DecodeResult =
  | { ok: true; deviceKey: string; readings: DecodedReading[] }
  | { ok: false; deviceKey?: string; reason: RejectReason; detail: string };

export type Decoder = (input: DecodeInput, context: DecodeContext) => DecodeResult;
