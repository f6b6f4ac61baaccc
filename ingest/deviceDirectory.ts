import type { PayloadFormat } from '../core/device.js';
import type { Metric } from '../core/metrics.js';
import type { RegistryEntry } from '../db/devicesRepository.js';

/**
 * The device registry as ingest needs it, in memory so a message costs no query: which device a
 * format's device key names (its id, or another name from `device_keys`), whether it is retired or
 * mobile, and its ward and street. Lookups are synchronous. The copy is reloaded every
 * `reloadEveryMs`, and early when an unknown key shows up (a device registered a moment ago), but
 * at most once per `missReloadMs` so a flood of unknown keys cannot hammer the database.
 */

export interface DeviceDirectoryOptions {
  load(): Promise<RegistryEntry[]>;
  reloadEveryMs?: number;
  missReloadMs?: number;
  onLoadError?(error: Error): void;
  now?: () => number;
}

export interface FoundDevice {
  device: RegistryEntry;
  /** SensorThings: what the Datastream named by the key measures. */
  metric?: Metric;
  unit?: string;
}

/** Formats whose device keys are hexadecimal EUIs, compared without regard to case. */
const CASE_INSENSITIVE: ReadonlySet<PayloadFormat> = new Set(['chirpstack-v4']);

function indexKey(format: PayloadFormat, key: string): string {
  return `${format}\u0000${CASE_INSENSITIVE.has(format) ? key.toLowerCase() : key}`;
}

function buildIndex(entries: readonly RegistryEntry[]): Map<string, FoundDevice> {
  const index = new Map<string, FoundDevice>();
  for (const device of entries) {
    index.set(indexKey(device.payloadFormat, device.id), { device });
  }
  // Other names are set after the ids, so an explicit key wins over a device id that happens to match.
  for (const device of entries) {
    for (const key of device.keys) {
      index.set(indexKey(key.payloadFormat, key.key), {
        device,
        ...(key.metric === undefined ? {} : { metric: key.metric }),
        ...(key.unit === undefined ? {} : { unit: key.unit }),
      });
    }
  }
  return index;
}

export class DeviceDirectory {
  private index = new Map<string, FoundDevice>();
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(private readonly options: DeviceDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Loads the registry now; rejects if the database cannot be read (the last copy stays). */
  async reload(): Promise<void> {
    if (!this.loading) this.attemptedAt = this.now();
    this.loading ??= this.options
      .load()
      .then((entries) => {
        this.index = buildIndex(entries);
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Keeps the copy fresh in the background until `stop()`. */
  startRefreshing(): void {
    this.timer ??= setInterval(() => {
      this.reload().catch((error: unknown) => this.options.onLoadError?.(error as Error));
    }, this.options.reloadEveryMs ?? 30_000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The device a format's key names, from the copy in memory. */
  find(format: PayloadFormat, key: string): FoundDevice | undefined {
    return this.index.get(indexKey(format, key));
  }

  /** Whether a miss is worth a reload now (the last attempt is older than `missReloadMs`). */
  mayReloadForMiss(): boolean {
    return this.now() - this.attemptedAt >= (this.options.missReloadMs ?? 2000);
  }

  /** Reloads for a miss. Never throws: a failed reload leaves the last copy. */
  async reloadForMiss(): Promise<void> {
    try {
      await this.reload();
    } catch (error) {
      this.options.onLoadError?.(error as Error);
    }
  }
}
