/**
 * Which device ids are registered, cached in memory so a message costs no query. The cache is
 * reloaded periodically, and early when an unknown id shows up (a device registered a moment ago),
 * but at most once per `missReloadMs` so a flood of unknown ids cannot hammer the database.
 */

export interface DeviceDirectoryOptions {
  load(): Promise<string[]>;
  reloadEveryMs?: number;
  missReloadMs?: number;
  onLoadError?(error: Error): void;
  now?: () => number;
}

export class DeviceDirectory {
  private ids = new Set<string>();
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
      .then((ids) => {
        this.ids = new Set(ids);
        this.loadedAt = this.now();
      })
      .finally(() => {
        this.loading = undefined;
      });
    return this.loading;
  }

  /** Never throws: if the registry cannot be read, the answer comes from the last good copy. */
  async has(id: string): Promise<boolean> {
    const age = this.now() - this.loadedAt;
    const stale = age >= (this.options.reloadEveryMs ?? 30_000);
    const known = this.ids.has(id);
    if (stale || (!known && age >= (this.options.missReloadMs ?? 2000))) {
      try {
        await this.reload();
      } catch (error) {
        this.options.onLoadError?.(error as Error);
      }
      return this.ids.has(id);
    }
    return known;
  }
}
