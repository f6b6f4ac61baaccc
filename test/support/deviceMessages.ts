import type { DeviceKind } from '../../core/device.js';
import type { RejectReason } from '../../core/rejections.js';
import { topicsFor, type Topics } from '../../core/topics.js';
import type { DevicesRepository } from '../../db/devicesRepository.js';
import type { PlannedMessage } from './devicePublisher.js';

/**
 * Native device messages for the ingest fault tests: valid readings, each with a (device, time) of
 * its own, and refused messages of every reason a native message can provoke, each payload
 * distinct, so that afterwards `readings` must hold exactly the valid ones and `rejects` one row per
 * refused one.
 */

export interface TestMessage extends PlannedMessage {
  /** Why ingest must refuse it; undefined for a valid reading. */
  reason?: RejectReason;
}

/** The reasons a native message on a device topic can be refused for, with INGEST_MAX_PAYLOAD_BYTES = MAX_PAYLOAD_BYTES. */
export const NATIVE_REASONS = [
  'ingest.invalid_json',
  'ingest.invalid_payload',
  'ingest.out_of_range',
  'ingest.unknown_device',
  'ingest.retired_device',
  'ingest.payload_too_large',
  'ingest.time_in_future',
  'ingest.too_old',
] as const satisfies readonly RejectReason[];
export type NativeReason = (typeof NATIVE_REASONS)[number];

/** The payload limit the tests run ingest with (INGEST_MAX_PAYLOAD_BYTES), so an oversized message is small. */
export const MAX_PAYLOAD_BYTES = 2048;

export class DeviceFleet {
  readonly ids: string[];
  readonly retiredId: string;
  private readonly topics: Topics;
  private readonly nextTime = new Map<string, number>();
  private turn = 0;
  private serial = 0;
  /** Valid times start two hours back, one second apart per device: inside the backfill window, never in the future. */
  private readonly origin = Date.now() - 2 * 3600_000;

  constructor(
    prefix: string,
    readonly size = 50,
  ) {
    this.topics = topicsFor(prefix);
    this.ids = Array.from({ length: size }, (_, i) => `fault-${String(i + 1).padStart(3, '0')}`);
    this.retiredId = 'fault-retired';
  }

  /** Registers the fleet (and its one retired device) directly in the database. */
  async register(devices: DevicesRepository): Promise<void> {
    const kind: DeviceKind = 'air_quality';
    const place = { wardCode: null, usrn: null, streetDistanceM: null, uprn: null, uprnDistanceM: null };
    await devices.upsertMany(
      [...this.ids, this.retiredId].map((id, i) => ({ id, name: `Fault test ${id}`, kind, lon: -2.3 + i * 0.001, lat: 53.45, expectedIntervalS: 60, place })),
    );
    await devices.setRetired(this.retiredId, new Date());
  }

  /** A valid reading for the next device in turn, at that device's next second. */
  valid(): TestMessage {
    const id = this.ids[this.turn++ % this.ids.length] as string;
    const step = this.nextTime.get(id) ?? 0;
    this.nextTime.set(id, step + 1);
    const time = new Date(this.origin + step * 1000).toISOString();
    const values = { no2: step % 400, pm25: (step % 90) + 0.5, temperature: (step % 30) - 5 };
    return { topic: this.topics.readings(id), payload: Buffer.from(JSON.stringify({ time, values })) };
  }

  /** A message ingest must refuse for `reason`, with a payload never sent before. */
  invalid(reason: NativeReason): TestMessage {
    const n = ++this.serial;
    const device = this.ids[n % this.ids.length] as string;
    const time = new Date(this.origin + n).toISOString();
    const message = (id: string, body: unknown): TestMessage => ({ topic: this.topics.readings(id), payload: Buffer.from(JSON.stringify(body)), reason });
    switch (reason) {
      case 'ingest.invalid_json':
        // Half cut-off JSON, half not UTF-8 at all.
        return n % 2 === 0
          ? { topic: this.topics.readings(device), payload: Buffer.from(`{"time":"${time}","values":{"no2":${n}`), reason }
          : { topic: this.topics.readings(device), payload: Buffer.concat([Buffer.from(`{"n":${n},"x":"`), Buffer.of(0xff, 0xfe), Buffer.from('"}')]), reason };
      case 'ingest.invalid_payload':
        return n % 2 === 0 ? message(device, { time, values: { no2: 1 }, serial: n }) : message(device, { time, values: { nox: n } });
      case 'ingest.out_of_range':
        return message(device, { time, values: { no2: 5000 + n } });
      case 'ingest.unknown_device':
        return message(`ghost-${n}`, { time, values: { no2: 10 } });
      case 'ingest.retired_device':
        return message(this.retiredId, { time, values: { no2: 10 } });
      case 'ingest.payload_too_large':
        return message(device, { time, values: { no2: 1 }, padding: `${n}-${'x'.repeat(MAX_PAYLOAD_BYTES)}` });
      case 'ingest.time_in_future':
        return message(device, { time: new Date(Date.now() + 3600_000 + n).toISOString(), values: { no2: 10 } });
      case 'ingest.too_old':
        return message(device, { time: new Date(Date.now() - 30 * 86_400_000 - n).toISOString(), values: { no2: 10 } });
    }
  }

  /** `valid` readings with `invalid` refused ones spread evenly among them, the reasons taking turns. */
  mixed(valid: number, invalid: number): TestMessage[] {
    const messages: TestMessage[] = [];
    const every = invalid === 0 ? Number.POSITIVE_INFINITY : (valid + invalid) / invalid;
    let refused = 0;
    for (let i = 0; i < valid + invalid; i++) {
      const due = refused < invalid && (i + 1) / every >= refused + 1;
      if (due) messages.push(this.invalid(NATIVE_REASONS[refused++ % NATIVE_REASONS.length] as NativeReason));
      else messages.push(this.valid());
    }
    return messages;
  }
}

/** How many messages of a plan are valid, refused, and refused for each reason. */
export function tally(messages: readonly TestMessage[]): { valid: number; invalid: number; byReason: Record<string, number> } {
  const byReason: Record<string, number> = {};
  let valid = 0;
  for (const message of messages) {
    if (message.reason === undefined) valid++;
    else byReason[message.reason] = (byReason[message.reason] ?? 0) + 1;
  }
  return { valid, invalid: messages.length - valid, byReason };
}
