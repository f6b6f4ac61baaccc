import type { MqttClient } from 'mqtt';
import type { Page } from 'playwright-core';

/**
 * Probe readings for the publish → pixel measurement. Each probe flips the probe device between
 * NO₂ 555 µg/m³ (DAQI 9, #990000, a colour nothing else on the map has) and NO₂ 20 (DAQI 1,
 * #9CFF9C); the page's pixel watcher (bench/livePage.ts) reports when the probe's pixel takes the
 * new colour. The next probe waits for that (or a timeout), then for the spacing, so every change
 * is timed on its own. Times are wall-clock milliseconds, the page's corrected by `clockOffsetMs`.
 */

export type ProbeState = 'high' | 'low';
export const PROBE_VALUES: Record<ProbeState, number> = { high: 555, low: 20 };

export interface ProbeResult {
  target: ProbeState;
  /** The reading's `time`, which identifies it in every message it travels in. */
  time: string;
  publishedAt: number;
  /** When the page saw the probe's pixel in the new colour; null if not within the timeout. */
  pixelAt: number | null;
  /** The earliest the new colour can have been drawn (the previous canvas read was issued then). */
  pixelEarliest: number | null;
}

export class ProbeRunner {
  private readonly transitions: { state: string; at: number; earliest: number }[] = [];
  private waiter: { target: ProbeState; after: number; resolve: (seen: { at: number; earliest: number }) => void } | undefined;
  private lastTimeMs = 0;
  /** Page clock minus this process's clock (see measureClockOffset). */
  clockOffsetMs = 0;

  constructor(
    private readonly client: MqttClient,
    private readonly topic: string,
  ) {}

  /** Registers the page's callback; call before the page navigates. */
  async attach(page: Page): Promise<void> {
    await page.exposeFunction('__benchProbe', (state: string, at: number, earliest: number) =>
      this.onTransition(state, at - this.clockOffsetMs, earliest - this.clockOffsetMs),
    );
  }

  /** A change of the probe pixel's class, seen at `at`, drawn no earlier than `earliest` (this process's clock). */
  observe(state: string, at: number, earliest: number): void {
    this.onTransition(state, at, earliest);
  }

  private onTransition(state: string, at: number, earliest: number): void {
    this.transitions.push({ state, at, earliest });
    if (this.waiter && state === this.waiter.target && at > this.waiter.after) {
      this.waiter.resolve({ at, earliest: Math.max(earliest, this.waiter.after) });
      this.waiter = undefined;
    }
  }

  /** Publishes one reading of the probe device with this state's value; resolves with its time. */
  publish(target: ProbeState): { time: string; publishedAt: number; acked: Promise<void> } {
    const timeMs = Math.max(Date.now(), this.lastTimeMs + 1);
    this.lastTimeMs = timeMs;
    const time = new Date(timeMs).toISOString();
    const body = JSON.stringify({ time, values: { no2: PROBE_VALUES[target] } });
    const publishedAt = performance.timeOrigin + performance.now();
    const acked = new Promise<void>((resolve, reject) => this.client.publish(this.topic, body, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    return { time, publishedAt, acked };
  }

  /** One probe: publish, wait for the pixel (up to timeoutMs). */
  async probe(timeoutMs: number): Promise<ProbeResult & { acked: Promise<void> }> {
    // The opposite of what the pixel shows now, so a lost probe does not put the two out of step.
    const target: ProbeState = this.lastState === 'high' ? 'low' : 'high';
    let resolveSeen: (seen: { at: number; earliest: number }) => void = () => undefined;
    const seen = new Promise<{ at: number; earliest: number }>((resolve) => (resolveSeen = resolve));
    const { time, publishedAt, acked } = this.publish(target);
    this.waiter = { target, after: publishedAt, resolve: resolveSeen };
    const timer = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
    const pixel = await Promise.race([seen, timer]);
    if (pixel === null) this.waiter = undefined;
    return { target, time, publishedAt, pixelAt: pixel?.at ?? null, pixelEarliest: pixel?.earliest ?? null, acked };
  }

  /**
   * Probes until `count` are done or `untilMs` (wall clock) is reached, one every `spacingMs` plus a
   * random 0–`jitterMs` (so probes do not lock to the server's flush timer), never overlapping.
   */
  async run(options: { count?: number; untilMs?: number; spacingMs: number; jitterMs: number; timeoutMs: number }): Promise<ProbeResult[]> {
    const results: ProbeResult[] = [];
    const acks: Promise<void>[] = [];
    while ((options.count === undefined || results.length < options.count) && (options.untilMs === undefined || Date.now() < options.untilMs)) {
      const { acked, ...result } = await this.probe(options.timeoutMs);
      results.push(result);
      acks.push(acked);
      if (result.pixelAt === null) {
        // Lost or late: let it land before the next one, so the two are not confused.
        await new Promise((resolve) => setTimeout(resolve, 3000));
        continue;
      }
      const wait = result.publishedAt + options.spacingMs + Math.random() * options.jitterMs - (performance.timeOrigin + performance.now());
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await Promise.all(acks);
    return results;
  }

  /** The state the probe pixel was last seen in. */
  get lastState(): string | undefined {
    return this.transitions[this.transitions.length - 1]?.state;
  }
}

/** Page clock minus this process's clock, from the round trip with the smallest spread. */
export async function measureClockOffset(page: Page, samples = 15): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Number.POSITIVE_INFINITY };
  for (let i = 0; i < samples; i++) {
    const before = performance.timeOrigin + performance.now();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = performance.timeOrigin + performance.now();
    const uncertaintyMs = (after - before) / 2;
    if (uncertaintyMs < best.uncertaintyMs) best = { offsetMs: pageNow - (before + after) / 2, uncertaintyMs };
  }
  return best;
}
