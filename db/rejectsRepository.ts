import type { Queryable } from './pool.js';

export interface Reject {
  topic: string;
  deviceId: string | null;
  reason: string;
  detail: string;
  payload: Uint8Array;
  /** The payload's original length; `payload` may be cut to REJECT_PAYLOAD_CAP. */
  payloadBytes: number;
  receivedAt: Date;
}

/** Raw payloads of rejected messages are kept up to this many bytes. */
export const REJECT_PAYLOAD_CAP = 4096;

export class RejectsRepository {
  constructor(private readonly db: Queryable) {}

  async insertMany(rejects: readonly Reject[]): Promise<void> {
    if (rejects.length === 0) return;
    await this.db.query(
      `INSERT INTO rejects (received_at, topic, device_id, reason, detail, payload, payload_bytes)
       SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::int4[])`,
      [
        rejects.map((r) => r.receivedAt),
        rejects.map((r) => r.topic),
        rejects.map((r) => r.deviceId),
        rejects.map((r) => r.reason),
        rejects.map((r) => r.detail),
        rejects.map((r) => Buffer.from(r.payload.subarray(0, REJECT_PAYLOAD_CAP))),
        rejects.map((r) => r.payloadBytes),
      ],
    );
  }
}
