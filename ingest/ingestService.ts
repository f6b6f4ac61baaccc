import type { MqttClient } from 'mqtt';
import type { PayloadFormat } from '../core/device.js';
import type { IngestStatus } from '../core/health.js';
import { hasTrafficCounts } from '../core/metrics.js';
import type { LiveReading, Reading, ReadingPlace } from '../core/reading.js';
import type { RejectReason, Rejection } from '../core/rejections.js';
import { routeTopic, type TopicRoute } from '../core/topicRoutes.js';
import type { Topics } from '../core/topics.js';
import type { InsertResult } from '../db/readingsRepository.js';
import type { Reject } from '../db/rejectsRepository.js';
import { BatchWriter } from './batchWriter.js';
import { DECODERS } from './decoders/index.js';
import type { DecodeContext, DecodedReading, DecodeResult } from './decoders/types.js';
import type { DeviceDirectory, FoundDevice } from './deviceDirectory.js';
import type { IngestMetrics } from './ingestMetrics.js';
import { checkReadings, type ReadingLimits } from './validateReadings.js';

/**
 * Takes device messages from an IngestSource (the external broker's subscription, or the embedded
 * broker's hook), routes each by topic to its format's decoder, finds its device in the registry,
 * checks its readings, joins them to ward and street, and batch-writes readings and rejects.
 *
 * Nothing is acknowledged before it is durable: a message's `ack()` is called only after the batch
 * holding it (readings or reject) has been committed. Batches commit one at a time and in order,
 * so acknowledgements go out in the order messages arrived. A failing database is retried with
 * backoff; while too much waits, the source is paused, so memory stays bounded and the broker
 * holds the backlog.
 *
 * After each commit the new readings are published on the internal `stored` topic (the server
 * relays them to browsers), and a retained status message says how ingest is doing.
 */

export interface IngestLogger {
  debug?(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** A message from a device, with the means to acknowledge it once it is durable. */
export interface IngestMessage {
  topic: string;
  payload: Uint8Array;
  /** The broker marked it as a redelivery. */
  redelivered: boolean;
  ack(): void;
}

/** Where messages come from. */
export interface IngestSource {
  start(onMessage: (message: IngestMessage) => void): Promise<void>;
  /** Stop delivering messages until `resume()` (backpressure). */
  pause(): void;
  resume(): void;
  /** Stop delivering for good (shutting down): what arrives from now on stays unacknowledged. */
  hold(): void;
  /** Disconnect, after the messages already delivered have been acknowledged. */
  stop(): Promise<void>;
  readonly connected: boolean;
}

export interface IngestLimits extends ReadingLimits {
  maxPayloadBytes: number;
}

export interface IngestDeps {
  source: IngestSource;
  /** Publishes the `stored` and status messages. */
  mqtt: MqttClient;
  topics: Topics;
  routes: readonly TopicRoute[];
  devices: DeviceDirectory;
  /** The ward and street of a point, from the current geography. */
  locate(lon: number, lat: number): ReadingPlace;
  /** Commits readings and rejects together; returns which readings were new. */
  commit(readings: Reading[], rejects: Reject[]): Promise<InsertResult>;
  log: IngestLogger;
  instanceId: string;
  limits: IngestLimits;
  batchSize: number;
  batchMaxDelayMs: number;
  /** Above this many uncommitted items the source is paused; below half of it, resumed. */
  maxPending: number;
  metrics: IngestMetrics;
  now?: () => Date;
  statusIntervalMs?: number;
}

type IngestItem = ({ kind: 'reading'; reading: Reading } | { kind: 'reject'; reject: Reject }) & {
  receivedAt: number;
  /** Set on a message's last item: acknowledges the message once that item is committed. */
  ack?: () => void;
};

const NO_PLACE: ReadingPlace = { wardCode: null, usrn: null };

/** Readings per message on the internal `stored` topic (about 150 bytes each). */
export const STORED_PER_MESSAGE = 1000;

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
  private paused = false;
  private stopping = false;
  /** Pauses since the last one logged: under sustained overload ingest pauses often; one line a minute says so. */
  private pausesUnlogged = 0;
  private pauseLoggedAt = Number.NEGATIVE_INFINITY;
  /** Messages waiting, in order, behind a registry reload for an unknown device. */
  private backlog: IngestMessage[] | undefined;
  private replaying: Promise<void> | undefined;
  private readonly decodeContext: DecodeContext;

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
    const context = {
      now: new Date(0),
      datastream: (id: string) => {
        const found = deps.devices.find('sensorthings', id);
        return found?.metric === undefined ? undefined : { metric: found.metric, unit: found.unit ?? '' };
      },
    };
    this.decodeContext = context;
  }

  /** Loads the device registry (failing if it cannot), then starts taking messages. */
  async start(): Promise<void> {
    await this.deps.devices.reload();
    this.deps.devices.startRefreshing();
    await this.deps.source.start((message) => this.receive(message));
    this.setState('running');
    this.statusTimer = setInterval(() => this.publishStatus(), this.deps.statusIntervalMs ?? 5000);
    this.statusTimer.unref();
  }

  /** Stops taking messages and writes (and acknowledges) everything already taken. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.statusTimer);
    this.deps.devices.stop();
    this.deps.source.hold();
    while (this.replaying) await this.replaying;
    await this.writer.close();
    await this.deps.source.stop();
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

  /**
   * Takes one message. Messages are handled strictly in the order they arrive. Once stopping, a
   * message that still gets here is left unacknowledged: the broker or device sends it again.
   */
  receive(message: IngestMessage): void {
    if (this.stopping) return;
    this.counters.received++;
    if (this.backlog) {
      this.backlog.push(message);
      this.checkPressure(0);
    } else {
      this.process(message);
    }
  }

  /** `mayReload`: false for messages replayed after a reload, which must not start another. */
  private process(message: IngestMessage, mayReload = true): void {
    const receivedAt = this.now();
    const { topic, payload } = message;
    const routed = routeTopic(this.deps.routes, topic);
    const format = routed?.route.format ?? null;
    if (payload.byteLength > this.deps.limits.maxPayloadBytes) {
      const detail = `payload is ${payload.byteLength} bytes; the limit is ${this.deps.limits.maxPayloadBytes}`;
      this.reject(message, receivedAt, format, routed?.topicKey || null, { reason: 'ingest.payload_too_large', detail });
      return;
    }
    if (!routed) {
      this.reject(message, receivedAt, null, null, { reason: 'ingest.bad_topic', detail: `"${topic}" matches no device topic pattern` });
      return;
    }
    this.decodeContext.now = receivedAt;
    const decoded: DecodeResult = DECODERS[routed.route.format](
      { topic, payload, ...(routed.topicKey === '' ? {} : { topicKey: routed.topicKey }) },
      this.decodeContext,
    );
    const deviceKey = decoded.deviceKey ?? (routed.topicKey === '' ? undefined : routed.topicKey);
    const found = deviceKey === undefined ? undefined : this.deps.devices.find(routed.route.format, deviceKey);
    const unknown = (decoded.ok || decoded.reason === 'ingest.unknown_device') && found === undefined;
    if (unknown && mayReload && this.deps.devices.mayReloadForMiss()) {
      // Perhaps registered a moment ago: reload, and hold later messages so order is kept.
      this.backlog = [message];
      this.replaying = this.deps.devices.reloadForMiss().then(() => this.replayBacklog());
      return;
    }
    // The registered id, or else the name the message used, so an operator sees who is knocking.
    const deviceId = found?.device.id ?? deviceKey ?? null;
    if (!decoded.ok) {
      this.reject(message, receivedAt, routed.route.format, deviceId, decoded);
      return;
    }
    if (!found) {
      const detail = `no registered ${routed.route.format} device is known as "${decoded.deviceKey}"`;
      this.reject(message, receivedAt, format, deviceId, { reason: 'ingest.unknown_device', detail });
      return;
    }
    this.accept(message, receivedAt, routed.route.format, found, decoded.readings);
  }

  private replayBacklog(): void {
    const backlog = this.backlog ?? [];
    this.backlog = undefined;
    this.replaying = undefined;
    for (const message of backlog) this.process(message, false);
    this.checkPressure(0);
  }

  private accept(message: IngestMessage, receivedAt: Date, format: PayloadFormat, found: FoundDevice, decoded: DecodedReading[]): void {
    const { device } = found;
    if (device.retired) {
      this.reject(message, receivedAt, format, device.id, { reason: 'ingest.retired_device', detail: `device "${device.id}" is retired` });
      return;
    }
    const checked = checkReadings(decoded, receivedAt, this.deps.limits);
    if (!checked.ok) {
      this.reject(message, receivedAt, format, device.id, checked);
      return;
    }
    if (checked.readings.length === 0) {
      this.reject(message, receivedAt, format, device.id, { reason: 'ingest.no_values', detail: 'the message holds no readings' });
      return;
    }
    const at = receivedAt.getTime();
    const items: IngestItem[] = checked.readings.map((reading) => {
      // A mobile device's reading is joined where it was taken; a fixed device's takes the device's place.
      const position = device.mobile ? reading.position : undefined;
      const place = device.mobile ? (position ? this.deps.locate(position.lon, position.lat) : NO_PLACE) : device.place;
      // Counts without a period of their own cover the device's interval; stored explicitly, since
      // the aggregates turn counts into flows (vehicles per hour) by their period.
      const periodS = reading.periodS ?? (hasTrafficCounts(reading.values) ? device.expectedIntervalS : undefined);
      return {
        kind: 'reading',
        receivedAt: at,
        reading: {
          deviceId: device.id,
          time: reading.time,
          values: reading.values,
          ...(periodS === undefined ? {} : { periodS }),
          ...(position === undefined ? {} : { position }),
          place,
        },
      };
    });
    (items.at(-1) as IngestItem).ack = message.ack;
    this.deps.metrics.received.inc({ format });
    this.add(items);
  }

  private reject(message: IngestMessage, receivedAt: Date, format: PayloadFormat | null, deviceId: string | null, rejection: Rejection): void {
    // Counted by format here and in accept(), where each message's outcome is decided (not before a
    // registry reload, which replays it).
    this.deps.metrics.received.inc({ format: format ?? 'none' });
    this.counters.rejected++;
    this.rejectedByReason.set(rejection.reason, (this.rejectedByReason.get(rejection.reason) ?? 0) + 1);
    this.deps.metrics.rejected.inc({ reason: rejection.reason });
    const { topic, payload, redelivered, ack } = message;
    this.add([
      {
        kind: 'reject',
        receivedAt: receivedAt.getTime(),
        reject: { topic, deviceId, payloadFormat: format, payload, payloadBytes: payload.byteLength, receivedAt, redelivered, ...rejection },
        ack,
      },
    ]);
  }

  private add(items: IngestItem[]): void {
    this.writer.add(items);
    this.checkPressure(0);
  }

  /**
   * Pauses the source while too much waits (uncommitted items, and messages held behind a registry
   * reload, which a stalled database can make long), and resumes it below half. `leaving`: items
   * the write in progress is about to take off the count.
   */
  private checkPressure(leaving: number): void {
    const pending = this.writer.pending - leaving + (this.backlog?.length ?? 0);
    this.deps.metrics.pending.set(pending);
    if (!this.paused && pending >= this.deps.maxPending) {
      this.paused = true;
      this.deps.metrics.paused.set(1);
      this.deps.source.pause();
      this.pausesUnlogged++;
      const now = performance.now();
      if (now - this.pauseLoggedAt >= 60_000) {
        this.deps.log.warn({ pending, pauses: this.pausesUnlogged }, 'ingest: too much waiting for the database; pausing intake (the broker holds the rest)');
        this.pauseLoggedAt = now;
        this.pausesUnlogged = 0;
      }
    } else if (this.paused && !this.stopping && pending <= this.deps.maxPending / 2) {
      this.paused = false;
      this.deps.metrics.paused.set(0);
      this.deps.source.resume();
      this.deps.log.debug?.({ pending }, 'ingest: caught up with the database; reading from the broker again');
    }
  }

  private async write(items: IngestItem[]): Promise<void> {
    const readings: Reading[] = [];
    const rejects: Reject[] = [];
    for (const item of items) {
      if (item.kind === 'reading') readings.push(item.reading);
      else rejects.push(item.reject);
    }
    const started = performance.now();
    const result = await this.deps.commit(readings, rejects);
    const committedAt = Date.now();
    const { metrics } = this.deps;
    metrics.commitSeconds.observe((performance.now() - started) / 1000);
    metrics.batchSize.observe(items.length);
    metrics.stored.inc(result.inserted.length);
    metrics.duplicates.inc(result.duplicates);
    for (const item of items) {
      metrics.lagSeconds.observe((committedAt - item.receivedAt) / 1000);
      item.ack?.();
    }
    this.counters.stored += result.inserted.length;
    this.counters.duplicates += result.duplicates;
    this.lastCommitAt = new Date(committedAt).toISOString();
    this.lastError = null;
    this.checkPressure(items.length);
    if (result.inserted.length > 0 && this.deps.mqtt.connected) {
      // QoS 0: the live map is best effort; the database already holds the readings. In messages of
      // at most STORED_PER_MESSAGE readings, well inside brokers' packet limits (2 MiB in ours).
      for (let start = 0; start < result.inserted.length; start += STORED_PER_MESSAGE) {
        const live: LiveReading[] = result.inserted.slice(start, start + STORED_PER_MESSAGE).map(({ deviceId, time, values, periodS }) => ({
          deviceId,
          time,
          values,
          ...(periodS === undefined ? {} : { periodS }),
        }));
        this.deps.mqtt.publish(this.deps.topics.stored, JSON.stringify(live), { qos: 0 });
      }
    }
  }

  private setState(state: IngestStatus['state']): void {
    this.state = state;
    this.since = this.now().toISOString();
    this.publishStatus();
  }

  private publishStatus(): void {
    this.deps.metrics.brokerConnected.set(this.deps.source.connected ? 1 : 0);
    if (!this.deps.mqtt.connected) return;
    this.deps.mqtt.publish(this.deps.topics.ingestStatus(this.deps.instanceId), JSON.stringify(this.status()), { qos: 1, retain: true });
  }
}
