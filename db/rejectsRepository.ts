import { createHash } from 'node:crypto';
import type { Queryable } from './pool.js';

export interface Reject {
  topic: string;
  deviceId: string | null;
  /** The format the topic was routed to, or null when no route matched. */
  payloadFormat: string | null;
  reason: string;
  detail: string;
  payload: Uint8Array;
  /** The payload's original length; `payload` may be cut to REJECT_PAYLOAD_CAP. */
  payloadBytes: number;
  receivedAt: Date;
  /** The broker marked the message as a redelivery (MQTT DUP): it is not counted again. */
  redelivered: boolean;
}

/** Raw payloads of rejected messages are kept up to this many bytes. */
export const REJECT_PAYLOAD_CAP = 4096;

/** A rejected message's identity: its topic and whole payload. */
export function rejectDigest(topic: string, payload: Uint8Array): Buffer {
  return createHash('sha256').update(topic).update(Buffer.of(0)).update(payload).digest();
}

interface Row {
  reject: Reject;
  digest: Buffer;
  fresh: number;
  last: Date;
}

export class RejectsRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Stores each distinct message once (by topic and payload); a message seen again adds to its
   * row's `times_received` unless the broker marked it as redelivered.
   */
  async insertMany(rejects: readonly Reject[]): Promise<void> {
    if (rejects.length === 0) return;
    // One statement cannot update a row twice, so repeats inside the batch are folded first.
    const rows = new Map<string, Row>();
    for (const reject of rejects) {
      const digest = rejectDigest(reject.topic, reject.payload);
      const key = digest.toString('hex');
      const row = rows.get(key);
      const fresh = reject.redelivered ? 0 : 1;
      if (row) {
        row.fresh += fresh;
        if (reject.receivedAt > row.last) row.last = reject.receivedAt;
      } else {
        rows.set(key, { reject, digest, fresh, last: reject.receivedAt });
      }
    }
    const list = [...rows.values()];
    await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::int4[],
                              $9::bytea[], $10::int4[], $11::timestamptz[])
           AS r (received_at, topic, device_id, payload_format, reason, detail, payload, payload_bytes, digest, fresh, last_received_at)
       )
       INSERT INTO rejects (received_at, topic, device_id, payload_format, reason, detail, payload, payload_bytes, digest, times_received, last_received_at)
       SELECT received_at, topic, device_id, payload_format, reason, detail, payload, payload_bytes, digest, greatest(fresh, 1), last_received_at
       FROM input
       ON CONFLICT (digest) DO UPDATE SET
         times_received = rejects.times_received + (SELECT i.fresh FROM input i WHERE i.digest = EXCLUDED.digest),
         last_received_at = greatest(rejects.last_received_at, EXCLUDED.last_received_at)`,
      [
        list.map((r) => r.reject.receivedAt),
        list.map((r) => r.reject.topic),
        list.map((r) => r.reject.deviceId),
        list.map((r) => r.reject.payloadFormat),
        list.map((r) => r.reject.reason),
        list.map((r) => r.reject.detail),
        list.map((r) => Buffer.from(r.reject.payload.subarray(0, REJECT_PAYLOAD_CAP))),
        list.map((r) => r.reject.payloadBytes),
        list.map((r) => r.digest),
        list.map((r) => r.fresh),
        list.map((r) => r.last),
      ],
    );
  }
}
