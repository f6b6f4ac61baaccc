import type { StaleRange, StoreJob } from '../db/storeJobsRepository.js';
import type { DeviceDaysResult } from './deviceDaysJob.js';
import type { QualityScanResult } from './qualityScan.js';

/**
 * Keeps the time-series store in shape from the ingest process, which writes the readings:
 * - the quality scan (ingest/qualityScan.ts) every `qualityScanMs`;
 * - TimescaleDB's jobs (refreshing the continuous aggregates, compressing and dropping raw chunks)
 *   when `runJobs` is set: the embedded database has no background workers, so nothing else would
 *   run them. A TimescaleDB server runs them itself. Each job runs when its schedule interval has
 *   passed since this process last ran it (at start for the first time), in dependency order;
 * - the catch-up: the refresh policies look back a bounded window, so whatever changed further back
 *   (an import, readings written while the app was stopped for longer than the window, a fresh store)
 *   is refreshed once, whoever runs the jobs;
 * - the ward comparison's days (ingest/deviceDaysJob.ts) every `deviceDaysMs`, after the aggregates;
 * - a checkpoint every `checkpointMs` when the database is embedded (it has no checkpointer).
 * One pass at a time; a failing step is logged and tried again on the next pass.
 */

export interface StoreMaintenanceDeps {
  jobs: { jobs(): Promise<StoreJob[]>; run(jobId: number): Promise<void>; catchUp(): Promise<StaleRange[]>; checkpoint(): Promise<void> };
  scan(now: Date): Promise<QualityScanResult>;
  runJobs: boolean;
  qualityScanMs: number;
  /** Works out the ward comparison's stale days (ingest/deviceDaysJob.ts). */
  deviceDays?: { run(now: Date): Promise<DeviceDaysResult> };
  /** How often; 5 minutes by default. */
  deviceDaysMs?: number;
  /** The embedded database has no checkpointer: checkpoint this often so its WAL is recycled. */
  checkpointMs?: number;
  /** How often to look for due work. */
  tickMs?: number;
  now?: () => number;
  log: {
    info(object: object, message: string): void;
    warn(object: object, message: string): void;
    debug(object: object, message: string): void;
  };
}

export class StoreMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly lastRun = new Map<number, number>();
  private lastScan = Number.NEGATIVE_INFINITY;
  private lastCheckpoint = Number.NEGATIVE_INFINITY;
  private lastDeviceDays = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(private readonly deps: StoreMaintenanceDeps) {}

  start(): void {
    this.schedule(0);
  }

  /** Runs whatever is due now; resolves when done (used by start-up, tests and the bench). */
  pass(): Promise<void> {
    this.running ??= this.runPass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.pass().finally(() => this.schedule(this.deps.tickMs ?? 30_000));
    }, delayMs);
    this.timer.unref();
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  private async runPass(): Promise<void> {
    const { log } = this.deps;
    if (this.now() - this.lastScan >= this.deps.qualityScanMs) {
      try {
        const began = performance.now();
        const result = await this.deps.scan(new Date(this.now()));
        this.lastScan = this.now();
        const message = 'store: quality scan done';
        const fields = { readings: result.readings, flagged: result.flags.length, ms: Math.round(performance.now() - began) };
        if (result.flags.length > 0) log.info(fields, message);
        else log.debug(fields, message);
      } catch (error) {
        log.warn({ err: error }, 'store: quality scan failed; will retry');
      }
    }
    if (!this.stopped) {
      try {
        const began = performance.now();
        const ranges = await this.deps.jobs.catchUp();
        if (ranges.length > 0) {
          const refreshed = ranges.map((range) => `${range.view} from ${range.from?.toISOString() ?? 'the beginning'}`);
          log.info({ refreshed, ms: Math.round(performance.now() - began) }, 'store: aggregates caught up behind the refresh window');
        }
      } catch (error) {
        log.warn({ err: error }, 'store: catch-up refresh failed; will retry');
      }
    }
    await this.runJobs();
    await this.runDeviceDays();
    const { checkpointMs } = this.deps;
    if (checkpointMs !== undefined && !this.stopped && this.now() - this.lastCheckpoint >= checkpointMs) {
      try {
        await this.deps.jobs.checkpoint();
        this.lastCheckpoint = this.now();
      } catch (error) {
        log.warn({ err: error }, 'store: checkpoint failed; will retry');
      }
    }
  }

  private async runDeviceDays(): Promise<void> {
    const { deviceDays, log } = this.deps;
    if (!deviceDays || this.stopped || this.now() - this.lastDeviceDays < (this.deps.deviceDaysMs ?? 5 * 60_000)) return;
    try {
      const began = performance.now();
      const result = await deviceDays.run(new Date(this.now()));
      this.lastDeviceDays = this.now();
      const fields = { days: result.dates.length, rows: result.rows, from: result.dates[0], to: result.dates.at(-1), ms: Math.round(performance.now() - began) };
      if (result.dates.length > 2) log.info(fields, 'store: ward comparison days worked out');
      else log.debug(fields, 'store: ward comparison days worked out');
    } catch (error) {
      log.warn({ err: error }, 'store: working out the ward comparison days failed; will retry');
    }
  }

  private async runJobs(): Promise<void> {
    const { log } = this.deps;
    if (!this.deps.runJobs) return;
    let jobs: StoreJob[];
    try {
      jobs = await this.deps.jobs.jobs();
    } catch (error) {
      log.warn({ err: error }, 'store: could not list TimescaleDB jobs; will retry');
      return;
    }
    for (const job of jobs) {
      if (this.stopped) return;
      const last = this.lastRun.get(job.id);
      if (last !== undefined && this.now() - last < job.scheduleIntervalMs) continue;
      const began = performance.now();
      try {
        await this.deps.jobs.run(job.id);
        log.debug({ job: job.id, kind: job.kind, target: job.target, ms: Math.round(performance.now() - began) }, 'store: job done');
      } catch (error) {
        log.warn({ err: error, job: job.id, kind: job.kind, target: job.target }, 'store: job failed; will retry');
      }
      this.lastRun.set(job.id, this.now());
    }
  }
}
