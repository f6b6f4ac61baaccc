import type { MqttClient } from 'mqtt';
import { z } from 'zod';
import { IngestStatusSchema, type IngestStatus } from '../core/health.js';
import { LiveReadingSchema, type LiveReading } from '../core/reading.js';
import type { Topics } from '../core/topics.js';

/**
 * The server's view of what ingest is doing: readings it has committed (relayed to browsers) and
 * each ingest process's status (for /health). Both arrive over MQTT, so ingest and server can run
 * as separate processes, and both are validated here because they cross a process boundary.
 */

const StoredMessageSchema = z.array(LiveReadingSchema);

export interface LiveFeedDeps {
  mqtt: MqttClient;
  topics: Topics;
  onReadings(readings: LiveReading[]): void;
  log: { warn(object: object, message: string): void };
  now?: () => number;
}

export class LiveFeed {
  private readonly instances = new Map<string, { status: IngestStatus; receivedAt: number }>();
  private readonly statusPrefix: string;
  private readonly onMessage = (topic: string, payload: Buffer) => this.handle(topic, payload);

  constructor(private readonly deps: LiveFeedDeps) {
    this.statusPrefix = deps.topics.ingestStatusFilter.slice(0, deps.topics.ingestStatusFilter.indexOf('+'));
  }

  async start(): Promise<void> {
    this.deps.mqtt.on('message', this.onMessage);
    await this.deps.mqtt.subscribeAsync([this.deps.topics.stored, this.deps.topics.ingestStatusFilter], { qos: 0 });
  }

  stop(): void {
    this.deps.mqtt.off('message', this.onMessage);
  }

  ingestInstances(): { status: IngestStatus; receivedAt: number }[] {
    return [...this.instances.values()];
  }

  /** The instance id in `{prefix}/internal/v1/ingest/{id}/status`, or undefined for any other topic. */
  private instanceIdOf(topic: string): string | undefined {
    if (!topic.startsWith(this.statusPrefix) || !topic.endsWith('/status')) return undefined;
    const id = topic.slice(this.statusPrefix.length, -'/status'.length);
    return id.length > 0 && !id.includes('/') ? id : undefined;
  }

  private handle(topic: string, payload: Buffer): void {
    if (topic === this.deps.topics.stored) {
      const parsed = StoredMessageSchema.safeParse(safeJson(payload));
      if (!parsed.success) {
        this.deps.log.warn({ topic, problem: parsed.error.issues[0]?.message }, 'live feed: ignoring a malformed stored-readings message');
        return;
      }
      if (parsed.data.length > 0) this.deps.onReadings(parsed.data);
      return;
    }
    const instanceId = this.instanceIdOf(topic);
    if (instanceId !== undefined) {
      if (payload.length === 0) return; // a cleared retained status
      const parsed = IngestStatusSchema.safeParse(safeJson(payload));
      if (!parsed.success || parsed.data.instanceId !== instanceId) {
        this.deps.log.warn({ topic }, 'live feed: ignoring a malformed ingest status');
        return;
      }
      this.instances.set(parsed.data.instanceId, { status: parsed.data, receivedAt: (this.deps.now ?? Date.now)() });
    }
  }
}

function safeJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    return undefined;
  }
}
