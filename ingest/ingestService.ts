import type { MqttClient } from 'mqtt';
import type { IngestStatus } from '../core/health.js';
import type { LiveReading, Reading, ReadingPlace } from '../core/reading.js';
import type { RejectReason, Rejection } from '../core/rejections.js';
import type { Topics } from '../core/topics.js';
import type { InsertResult } from '../db/readingsRepository.js';
import type { Reject } from '../db/rejectsRepository.js';
import { BatchWriter } from './batchWriter.js';
import { decodeNative, type DecodeLimits } from './decodeNative.js';
import type { DeviceDirectory } from './deviceDirectory.js';

/**
 * Subscribes to device readings, validates each message, and batch-writes readings (and rejects,
 * with their reason) to the database. After each commit it publishes the newly stored readings on
 * the internal `stored` topic, which the server relays to browsers, and it keeps a retained status
 * message up to date for health checks.
 */

export interface IngestLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export type IngestItem = { kind: 'reading'; reading: Reading } | { kind: 'reject'; reject: Reject };

export interface IngestDeps {
  mqtt: MqttClient;
  topics: Topics;
  devices: DeviceDirectory;
  /** The ward and street of a point, from the current geography. */
  locate(lon: number, lat: number): ReadingPlace;
  /** Commits readings and rejects together; returns which readings were new. */
  commit(readings: Reading[], rejects: Reject[]): Promise<InsertResult>;
  log: IngestLogger;
  instanceId: string;
  limits: DecodeLimits;
  batchSize: number;
  batchMaxDelayMs: number;
  now?: () => Date;
  statusIntervalMs?: number;
}

export class IngestService {
  private readonly writer: BatchWriter<IngestItem>;
  private readonly now: () => Date;
  private readonly counters = { received: 0, stored: 0, duplicates: 0, rejected: 0 };
  private readonly rejectedByReason = new Map<RejectReason, number>();
  private lastCommitAt: string | null = null;
  private lastError: string | null = null;
  private since = new Date().toISOString();
  private state: IngestStatus['state'] = 'starting';
  private statusTimer: NodeJS.Timeout | undefined;
  private readonly onMessage = (topic: string, payload: Buffer) => {
    void this.handle(topic, payload).catch((error: unknown) => {
      this.deps.log.error({ err: error, topic }, 'ingest: message handling failed');
    });
  };

  constructor(private readonly deps: IngestDeps) {
    this.now = deps.now ?? (() => new Date());
    this.writer = new BatchWriter<IngestItem>({
      batchSize: deps.batchSize,
      maxDelayMs: deps.batchMaxDelayMs,
      write: (items) => this.write(items),
      onWriteError: (error, attempt, retryInMs) => {
        this.lastError = error.message;
        deps.log.warn({ err: error, attempt, retryInMs, pending: this.writer.pending }, 'ingest: batch write failed; retrying');
      },
    });
  }

  async start(): Promise<void> {
    this.deps.mqtt.on('message', this.onMessage);
    await this.deps.mqtt.subscribeAsync(this.deps.topics.readingsFilter, { qos: 1 });
    this.setState('running');
    this.statusTimer = setInterval(() => this.publishStatus(), this.deps.statusIntervalMs ?? 5000);
    this.statusTimer.unref();
  }

  /** Stops taking messages, writes everything already accepted, and says so on the status topic. */
  async stop(): Promise<void> {
    clearInterval(this.statusTimer);
    this.deps.mqtt.off('message', this.onMessage);
    if (this.deps.mqtt.connected) await this.deps.mqtt.unsubscribeAsync(this.deps.topics.readingsFilter).catch(() => undefined);
    await this.writer.close();
    this.setState('stopped');
  }

  status(): IngestStatus {
    return {
      instanceId: this.deps.instanceId,
      state: this.state,
      since: this.since,
      ...this.counters,
      rejectedByReason: Object.fromEntries(this.rejectedByReason),
      pending: this.writer.pending,
      lastCommitAt: this.lastCommitAt,
      lastError: this.lastError,
    };
  }

  async handle(topic: string, payload: Uint8Array): Promise<void> {
    this.counters.received++;
    const receivedAt = this.now();
    const deviceId = this.deps.topics.deviceIdOf(topic);
    if (deviceId === undefined) {
      this.reject(topic, null, payload, receivedAt, { reason: 'ingest.bad_topic', detail: `"${topic}" is not a device readings topic` });
      return;
    }
    const devicePlace = await this.deps.devices.get(deviceId);
    if (devicePlace === undefined) {
      this.reject(topic, deviceId, payload, receivedAt, {
        reason: 'ingest.unknown_device',
        detail: `no registered device has the id "${deviceId}"`,
      });
      return;
    }
    const result = decodeNative(deviceId, payload, receivedAt, this.deps.limits);
    if (!result.ok) {
      this.reject(topic, deviceId, payload, receivedAt, result);
      return;
    }
    // A reading with its own position (a mobile device) is joined where it was taken; the rest
    // take their device's ward and street.
    this.writer.add(
      result.readings.map((reading) => ({
        kind: 'reading',
        reading: { ...reading, place: reading.position ? this.deps.locate(reading.position.lon, reading.position.lat) : devicePlace },
      })),
    );
  }

  private reject(topic: string, deviceId: string | null, payload: Uint8Array, receivedAt: Date, rejection: Rejection): void {
    this.counters.rejected++;
    this.rejectedByReason.set(rejection.reason, (this.rejectedByReason.get(rejection.reason) ?? 0) + 1);
    this.writer.add([
      {
        kind: 'reject',
        reject: { topic, deviceId, payload, payloadBytes: payload.byteLength, receivedAt, ...rejection },
      },
    ]);
  }

  private async write(items: IngestItem[]): Promise<void> {
    const readings: Reading[] = [];
    const rejects: Reject[] = [];
    for (const item of items) {
      if (item.kind === 'reading') readings.push(item.reading);
      else rejects.push(item.reject);
    }
    const result = await this.deps.commit(readings, rejects);
    this.counters.stored += result.inserted.length;
    this.counters.duplicates += result.duplicates;
    this.lastCommitAt = this.now().toISOString();
    this.lastError = null;
    if (result.inserted.length > 0) {
      const live: LiveReading[] = result.inserted.map(({ deviceId, time, values, periodS }) => ({
        deviceId,
        time,
        values,
        ...(periodS === undefined ? {} : { periodS }),
      }));
      // QoS 0: the live map is best effort; the database already holds the readings.
      this.deps.mqtt.publish(this.deps.topics.stored, JSON.stringify(live), { qos: 0 });
    }
  }

  private setState(state: IngestStatus['state']): void {
    this.state = state;
    this.since = this.now().toISOString();
    this.publishStatus();
  }

  private publishStatus(): void {
    if (!this.deps.mqtt.connected) return;
    this.deps.mqtt.publish(this.deps.topics.ingestStatus(this.deps.instanceId), JSON.stringify(this.status()), { qos: 1, retain: true });
  }
}
