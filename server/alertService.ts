import { offlineCheck, readingChecks, type Alert, type AlertCheck, type AlertKind } from '../core/alerts.js';
import type { LocatedDevice } from '../core/device.js';
import { deviceHealth, type HealthRules } from '../core/deviceHealth.js';
import type { LiveReading } from '../core/reading.js';
import type { AlertChangeResult, AlertsRepository } from '../db/alertsRepository.js';

/**
 * Watches the live readings and the clock for the conditions in core/alerts.ts, and raises, re-opens
 * and ends alerts in the database. It remembers whether each condition holds, so the database is
 * written only when one starts or ends, not for every reading. Every server process runs one; the
 * repository's statements let only one of them make each change, and only that one publishes it.
 */

export interface AlertServiceDeps {
  alerts: Pick<AlertsRepository, 'conditions' | 'start' | 'end' | 'acknowledge' | 'resolve' | 'current'>;
  devices(): Promise<LocatedDevice[]>;
  latest(): Promise<LiveReading[]>;
  /** A traffic counter's learned free-flow speed in km/h, or null while there is too little data. */
  freeFlow(deviceId: string): Promise<number | null>;
  rules: HealthRules;
  /** Alerts this process changed, for every operator (realtime broadcast). */
  publish(alerts: Alert[]): void;
  log: { warn(object: object, message: string): void; info(object: object, message: string): void };
  now?: () => number;
  /** How often silence is checked (and the registry and other processes' changes reloaded). */
  checkIntervalMs?: number;
}

const FREE_FLOW_REFRESH_MS = 3600_000;
/** Resolved alerts stay on the list this long. */
export const RESOLVED_SHOWN_MS = 24 * 3600_000;
const CURRENT_LIMIT = 500;

const key = (kind: AlertKind, deviceId: string) => `${kind} ${deviceId}`;

export class AlertService {
  private readonly holds = new Map<string, boolean>();
  private readonly lastReading = new Map<string, number>();
  private devices = new Map<string, LocatedDevice>();
  private readonly freeFlows = new Map<string, { kmh: number | null; at: number }>();
  // Database work runs one step at a time, so a condition's start and end are written in order.
  private work: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: AlertServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async start(): Promise<void> {
    await this.reload();
    for (const reading of await this.deps.latest()) this.noteReading(reading);
    this.checkSilence();
    // Learning the counters' free-flow speeds reads weeks of aggregates: it is not waited for, and
    // until it is done a counter is judged by the fallback speed (core/alerts.ts).
    this.enqueue('free-flow speeds', () => this.refreshFreeFlows());
    const every = this.deps.checkIntervalMs ?? 15_000;
    this.timer = setInterval(() => void this.checkNow(), every);
    this.timer.unref();
  }

  /** Reloads the registry and the database's view, then checks every device's silence. */
  checkNow(): Promise<void> {
    this.enqueue('check', () => this.tick());
    return this.idle();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.idle();
  }

  /** Resolves once the work queued so far is done. */
  idle(): Promise<void> {
    return this.work;
  }

  /**
   * A registered device as of the last reload (every check interval): the realtime view filter
   * uses the same copy rather than asking the database for every reading.
   */
  device(id: string): LocatedDevice | undefined {
    return this.devices.get(id);
  }

  /** Each traffic counter's free-flow speed as last learned, where known. */
  freeFlowKmh(): Record<string, number> {
    const known: Record<string, number> = {};
    for (const [id, { kmh }] of this.freeFlows) if (kmh !== null) known[id] = kmh;
    return known;
  }

  current(): Promise<Alert[]> {
    return this.deps.alerts.current(new Date(this.now() - RESOLVED_SHOWN_MS), CURRENT_LIMIT);
  }

  /** The newest reading of each device in a batch settles its conditions. */
  onReadings(readings: readonly LiveReading[]): void {
    const newest = new Map<string, LiveReading>();
    for (const reading of readings) {
      if (!this.noteReading(reading)) continue;
      newest.set(reading.deviceId, reading);
    }
    for (const reading of newest.values()) {
      const device = this.devices.get(reading.deviceId);
      if (!device) continue; // registered since the last reload; the next check picks it up
      const freeFlow = device.kind === 'traffic' ? (this.freeFlows.get(device.id)?.kmh ?? null) : null;
      for (const check of readingChecks(device, reading, freeFlow)) this.apply(check);
    }
  }

  acknowledge(id: number, by: string | null): Promise<AlertChangeResult> {
    return this.operatorChange(this.deps.alerts.acknowledge(id, by));
  }

  resolve(id: number, by: string | null): Promise<AlertChangeResult> {
    return this.operatorChange(this.deps.alerts.resolve(id, by));
  }

  private async operatorChange(change: Promise<AlertChangeResult>): Promise<AlertChangeResult> {
    const result = await change;
    if (result.outcome === 'changed') this.deps.publish([result.alert]);
    return result;
  }

  /** Records a reading's time; false if the device has already sent a newer one. */
  private noteReading(reading: LiveReading): boolean {
    const time = Date.parse(reading.time);
    const last = this.lastReading.get(reading.deviceId);
    if (last !== undefined && time <= last) return false;
    this.lastReading.set(reading.deviceId, time);
    return true;
  }

  private apply(check: AlertCheck): void {
    const k = key(check.kind, check.deviceId);
    const before = this.holds.get(k) ?? false;
    if (before === check.holds) return;
    this.holds.set(k, check.holds);
    this.enqueue(`${check.holds ? 'raise' : 'end'} ${check.kind}`, async () => {
      try {
        const changed = check.holds ? await this.deps.alerts.start(check) : await this.deps.alerts.end(check.kind, check.deviceId, check.at);
        if (changed) {
          if (check.holds) this.deps.log.info({ alert: changed.id, kind: changed.kind, device: changed.deviceId }, `alert: ${changed.message}`);
          this.deps.publish([changed]);
        }
      } catch (error) {
        // Forget what we believed, so the next reading or check tries again.
        this.holds.set(k, before);
        throw error;
      }
    });
  }

  private enqueue(what: string, step: () => Promise<void>): void {
    this.work = this.work.then(step).catch((error: unknown) => this.deps.log.warn({ err: error, step: what }, 'alerts: a step failed; it is retried at the next reading or check'));
  }

  private async tick(): Promise<void> {
    await this.reload();
    await this.refreshFreeFlows();
    this.checkSilence();
  }

  /** The registry, and which conditions hold as far as the database knows (other processes' changes). */
  private async reload(): Promise<void> {
    this.devices = new Map((await this.deps.devices()).map((device) => [device.id, device]));
    const known = await this.deps.alerts.conditions();
    this.holds.clear();
    for (const condition of known) this.holds.set(key(condition.kind, condition.deviceId), condition.holds);
  }

  private checkSilence(): void {
    const now = this.now();
    for (const device of this.devices.values()) {
      const check = offlineCheck(device, deviceHealth(device.expectedIntervalS, this.lastReading.get(device.id), now, this.deps.rules), now);
      if (check) this.apply(check);
    }
  }

  private async refreshFreeFlows(): Promise<void> {
    const now = this.now();
    for (const device of this.devices.values()) {
      if (device.kind !== 'traffic') continue;
      const known = this.freeFlows.get(device.id);
      if (known && now - known.at < FREE_FLOW_REFRESH_MS) continue;
      try {
        this.freeFlows.set(device.id, { kmh: await this.deps.freeFlow(device.id), at: now });
      } catch (error) {
        this.deps.log.warn({ err: error, device: device.id }, 'alerts: could not learn a free-flow speed; using the fallback for now');
      }
    }
  }
}
