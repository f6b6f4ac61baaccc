/**
 * Why ingest refused a message. Stable codes: they are stored with each reject, counted in metrics
 * and shown to operators, so a code is never renamed, only added.
 */
export const REJECT_REASONS = {
  'ingest.payload_too_large': 'The message is larger than the payload size limit.',
  'ingest.bad_topic': 'The topic is not a device readings topic.',
  'ingest.invalid_json': 'The payload is not valid UTF-8 JSON.',
  'ingest.invalid_payload': 'The JSON does not match the payload schema.',
  'ingest.unknown_device': 'No registered device has this id.',
  'ingest.out_of_range': 'A value is outside the physical range of its metric.',
  'ingest.time_in_future': 'A reading is timestamped further in the future than the allowed clock skew.',
  'ingest.too_old': 'A reading is older than the backfill window.',
  'ingest.retired_device': 'The device is registered but retired: it no longer reports.',
  'ingest.device_mismatch': 'The topic names one device and the payload another.',
  'ingest.no_values': 'The message holds no value of a metric Smartplace stores.',
  'ingest.unknown_unit': 'A value comes in a unit Smartplace cannot convert.',
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

export interface Rejection {
  reason: RejectReason;
  /** A sentence naming what was wrong, for the rejects table and the logs. */
  detail: string;
}
