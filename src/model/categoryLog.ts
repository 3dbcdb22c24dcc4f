import type { ZoomError } from '../zoom';
import { QueryCursor, type CursorQuery, type OperationLogEntry, type ZoomClient, toZoomError } from '../zoom';
import { type DateKeyer } from './timeZones';

export interface DateGroup {
  readonly key: string;
  readonly entries: OperationLogEntry[];
  /** False while entries arrived unsorted since the last read. */
  sorted: boolean;
}

/**
 * What the tree knows of one category of the current query: the pages loaded
 * so far grouped by date, and the cursor for the rest. Pure model: no vscode,
 * so benchmarks and unit tests drive exactly what the tree drives.
 */
export class CategoryLog {
  private readonly groups = new Map<string, DateGroup>();
  private sortedKeys: string[] | undefined = [];
  private cursor: QueryCursor | undefined;
  private loading: Promise<number> | undefined;
  private minTimeMs = Infinity;
  total = 0;
  /** Pages fetched (successful responses). */
  pages = 0;
  /** The last load's failure, until the next load starts. */
  error: ZoomError | undefined;

  constructor(
    readonly category: string,
    private readonly query: CursorQuery,
    private readonly keyer: DateKeyer,
    private readonly client: () => Promise<ZoomClient>,
  ) {}

  /** True once the first page was asked for. */
  get started(): boolean {
    return this.cursor !== undefined;
  }

  /** True when every page has arrived. */
  get done(): boolean {
    return this.cursor?.done ?? false;
  }

  get isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** Date keys newest first. */
  dateKeys(): readonly string[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.groups.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
    return this.sortedKeys;
  }

  /** A date's entries, newest first. */
  entries(key: string): readonly OperationLogEntry[] {
    const g = this.groups.get(key);
    if (!g) return [];
    if (!g.sorted) {
      g.entries.sort((a, b) => (b.timeMs || 0) - (a.timeMs || 0));
      g.sorted = true;
    }
    return g.entries;
  }

  /** Every loaded entry, newest first. */
  allEntries(): OperationLogEntry[] {
    return this.dateKeys().flatMap((k) => this.entries(k));
  }

  /**
   * Whether a date can still gain entries: only while pages remain and nothing
   * older than the date's first instant has arrived yet. Arrival order decides
   * when to stop loading, never where an entry goes.
   */
  isDateComplete(key: string): boolean {
    if (this.done) return true;
    return this.minTimeMs < this.keyer.startOfDate(key);
  }

  /** The next page (single-flight: concurrent callers share one request). Returns entries added. */
  loadNextPage(signal?: AbortSignal): Promise<number> {
    if (!this.loading) {
      this.error = undefined;
      this.loading = this.fetchPage(signal).finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  /** Loads pages until the date is complete or the results end. */
  async completeDate(key: string, signal?: AbortSignal): Promise<void> {
    while (!this.isDateComplete(key)) await this.loadNextPage(signal);
  }

  /** Loads every remaining page. */
  async loadAll(signal?: AbortSignal, onPage?: () => void): Promise<void> {
    while (!this.done) {
      await this.loadNextPage(signal);
      onPage?.();
    }
  }

  private async fetchPage(signal?: AbortSignal): Promise<number> {
    try {
      this.cursor ??= new QueryCursor(await this.client(), this.query);
      const before = this.cursor.pages;
      const fresh = await this.cursor.nextPage(signal);
      this.pages += this.cursor.pages - before;
      this.add(fresh);
      return fresh.length;
    } catch (e) {
      const err = toZoomError(e);
      if (err.kind !== 'cancelled') this.error = err;
      throw err;
    }
  }

  private add(entries: readonly OperationLogEntry[]): void {
    for (const e of entries) {
      const key = this.keyer.dateKey(e.timeMs);
      let g = this.groups.get(key);
      if (!g) {
        g = { key, entries: [], sorted: true };
        this.groups.set(key, g);
        this.sortedKeys = undefined;
      }
      const last = g.entries[g.entries.length - 1];
      if (last && last.timeMs < e.timeMs) g.sorted = false;
      g.entries.push(e);
      if (e.timeMs < this.minTimeMs) this.minTimeMs = e.timeMs;
    }
    this.total += entries.length;
  }
}
