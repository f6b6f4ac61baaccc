import type { ReadingPlace } from '../core/reading.js';

/**
 * Which device ids are registered, and each one's ward and street, cached in memory so a message
 * costs no query. The cache is
 * reloaded periodically, and early when an unknown id shows up (a device registered a moment ago),
 * but at most once per `missReloadMs` so a flood of unknown ids cannot hammer the database.
 */

export interface DeviceDirectoryOptions {
  /** Every registered device id with its ward and street. */
  load(): Promise<ReadonlyMap<string, ReadingPlace>>;
  reloadEveryMs?: number;
  missReloadMs?: number;
  onLoadError?(error: Error): void;
  now?: () => number;
}

export class DeviceDirectory {
  private places: ReadonlyMap<string, ReadingPlace> = new Map();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly options: DeviceDirectoryOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Loads the ids now; rejects if the database cannot be read. */
  async reload(): Promise<void> {
    this.loading ??= this.options
      .load()
      .then((places) => {
        this.places = places;
        this.loadedAt = this.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  async has(id: string): Promise<boolean> {
    return (await this.get(id)) !== undefined;
  }

  /**
   * The device's ward and street, or undefined for an unknown id. Never throws: if the registry
   * cannot be read, the answer comes from the last good copy.
   */
  async get(id: string): Promise<ReadingPlace | undefined> {
    const age = this.now() - this.loadedAt;
    const stale = age >= (this.options.reloadEveryMs ?? 30_000);
    const known = this.places.get(id);
    if (stale || (known === undefined && age >= (this.options.missReloadMs ?? 2000))) {
      try {
        await this.reload();
      } catch (error) {
        this.options.onLoadError?.(error as Error);
      }
      return this.places.get(id);
    }
    return known;
  }
}
