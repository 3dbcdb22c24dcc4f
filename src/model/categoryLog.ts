import type { ZoomError } from '../zoom';
import {
  categoryLabel,
  describeRefusal,
  QueryCursor,
  type CursorQuery,
  type DateWindow,
  type OperationLogEntry,
  type PageSource,
  toZoomError,
} from '../zoom';
import type { ArchivePart } from './archivePart';
import { type DateKeyer } from './timeZones';

export interface DateGroup {
  readonly key: string;
  readonly entries: OperationLogEntry[];
  /** False while entries arrived unsorted since the last read. */
  sorted: boolean;
}

/**
 * One query's pages from Zoom: the cursor, single-flight loads, the last failure,
 * and what completeness depends on (the oldest time seen, whether pages remain).
 * Every page goes to `sink`; several logs may share one feed (the other categories).
 */
export class PageFeed {
  private cursor: QueryCursor | undefined;
  private loading: Promise<number> | undefined;
  /** Oldest entry time received so far, of every entry the feed received. */
  minTimeMs = Infinity;
  /** Pages fetched (successful responses). */
  pages = 0;
  /** Entries received, before any log kept or dropped them. */
  received = 0;
  /** The last load's failure, until the next load starts. */
  error: ZoomError | undefined;

  /**
   * @param none nothing to ask Zoom for (the archive serves the whole range): started and done at once.
   */
  constructor(
    readonly query: CursorQuery,
    private readonly client: () => Promise<PageSource>,
    private readonly sink: (entries: readonly OperationLogEntry[]) => void,
    readonly none = false,
  ) {}

  get started(): boolean {
    return this.none || this.cursor !== undefined;
  }

  get done(): boolean {
    return this.none || (this.cursor?.done ?? false);
  }

  get isLoading(): boolean {
    return this.loading !== undefined;
  }

  /** Windows Zoom refused as outside its six-month horizon. */
  get refused(): readonly DateWindow[] {
    return this.cursor?.refused ?? [];
  }

  /** The first day Zoom answered for, once it refused older days. */
  get refusedBefore(): string | undefined {
    return this.cursor?.refusedBefore;
  }

  /** The next page (single-flight: concurrent callers share one request). Returns entries received. */
  loadNextPage(signal?: AbortSignal): Promise<number> {
    if (!this.loading) {
      this.error = undefined;
      this.loading = this.fetchPage(signal).finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async fetchPage(signal?: AbortSignal): Promise<number> {
    if (this.none) return 0;
    try {
      this.cursor ??= new QueryCursor(await this.client(), this.query);
      const before = this.cursor.pages;
      const fresh = await this.cursor.nextPage(signal);
      this.pages += this.cursor.pages - before;
      this.received += fresh.length;
      for (const e of fresh) if (e.timeMs < this.minTimeMs) this.minTimeMs = e.timeMs;
      this.sink(fresh);
      return fresh.length;
    } catch (e) {
      const err = toZoomError(e);
      if (err.kind !== 'cancelled') this.error = err;
      throw err;
    }
  }
}

/**
 * What the tree knows of one category of the current query: the pages loaded
 * so far grouped by date, and the feed for the rest. Pure model: no vscode,
 * so benchmarks and unit tests drive exactly what the tree drives.
 */
export class CategoryLog {
  private readonly groups = new Map<string, DateGroup>();
  private sortedKeys: string[] | undefined = [];
  readonly feed: PageFeed;
  total = 0;
  /** Called with every batch `add` files (LogSession.onEntries listens here). */
  onAdd: ((entries: readonly OperationLogEntry[]) => void) | undefined;
  /** The archived part of the range, when the archive serves some of it. */
  private archive: ArchivePart | undefined;

  /**
   * @param feed a shared feed that calls `add` for this log (the other categories);
   *   without one the log has its own feed for `query`.
   * @param displayName the category as Zoom writes it, for categories outside the enum.
   */
  constructor(
    readonly category: string,
    query: CursorQuery,
    private readonly keyer: DateKeyer,
    client: () => Promise<PageSource>,
    feed?: PageFeed,
    readonly displayName?: string,
  ) {
    this.feed = feed ?? new PageFeed(query, client, (entries) => this.add(entries));
  }

  /** The category's label: the portal's for the eleven, else Zoom's display string. */
  get label(): string {
    return categoryLabel(this.category, this.displayName);
  }

  /** True once the first page was asked for. */
  get started(): boolean {
    return this.feed.started;
  }

  /** True when every page has arrived. */
  get done(): boolean {
    return this.feed.done;
  }

  get isLoading(): boolean {
    return this.feed.isLoading;
  }

  /** Pages fetched (successful responses). */
  get pages(): number {
    return this.feed.pages;
  }

  /** The last load's failure, until the next load starts. */
  get error(): ZoomError | undefined {
    return this.feed.error;
  }

  set error(e: ZoomError | undefined) {
    this.feed.error = e;
  }

  /** The first day Zoom answered for, once it refused older days as outside six months. */
  get refusedBefore(): string | undefined {
    return this.feed.refusedBefore;
  }

  /** A sentence about the refused days, or undefined. */
  get refusalMessage(): string | undefined {
    const before = this.refusedBefore;
    return before ? describeRefusal(before) : undefined;
  }

  /**
   * Serves the archived days from `part`: their count at once (from the archive's manifest),
   * each date's entries when the date is completed. The feed serves only the rest of the range.
   */
  useArchive(part: ArchivePart): void {
    this.archive = part;
    this.total += part.count(this.category);
    for (const key of part.dateKeys(this.category)) {
      if (!this.groups.has(key)) this.groups.set(key, { key, entries: [], sorted: true });
    }
    this.sortedKeys = undefined;
    part.register(this.category, (entries, lost) => {
      this.file(entries);
      this.total -= lost;
    });
  }

  /**
   * A date's entry count: loaded entries, plus archived ones not read yet when the archive's
   * manifest says exactly how many (`exact` false when more may come).
   */
  dateCount(key: string): { count: number; exact: boolean } {
    const loaded = this.entries(key).length;
    // Pending undefined (the archive cannot tell) or 0: the loaded entries, exact once the date is complete, which
    // it is not while an archived day of it is unread.
    const pending = this.archive?.pendingCount(this.category, key);
    if (pending) return { count: loaded + pending, exact: this.zoomDateComplete(key) };
    return { count: loaded, exact: this.isDateComplete(key) };
  }

  /** The archived days of a date that could not be read (their file changed), each with what to do. */
  damagedDays(key: string): readonly { day: string; message: string }[] {
    return this.archive?.damagedOn(key) ?? [];
  }

  /** Date keys newest first. */
  dateKeys(): readonly string[] {
    this.sortedKeys ??= [...this.groups.keys()].sort().reverse();
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
    if (this.archive && !this.archive.isLoadedFor(key)) return false;
    return this.zoomDateComplete(key);
  }

  /** Whether Zoom's part of the range can add nothing more to the date. */
  private zoomDateComplete(key: string): boolean {
    if (this.done) return true;
    // A date that ends before Zoom's part of the range begins gets nothing from Zoom.
    if (this.archive && this.keyer.dateKey(this.archive.endMs) > key) return true;
    return this.feed.minTimeMs < this.keyer.startOfDate(key);
  }

  /** The next page (single-flight: concurrent callers share one request). Returns entries added to this log. */
  async loadNextPage(signal?: AbortSignal): Promise<number> {
    const before = this.total;
    await this.feed.loadNextPage(signal);
    return this.total - before;
  }

  /**
   * Reads the date's archived days, then loads pages until the date is complete or the results end; `onPage`
   * after each step.
   */
  async completeDate(key: string, signal?: AbortSignal, onPage?: () => void): Promise<void> {
    if (this.archive && !this.archive.isLoadedFor(key)) {
      await this.archive.loadFor(key, signal);
      onPage?.();
    }
    // Once every page is in, nothing more can come: never ask a finished feed again (it answers at once, and a
    // loop of answers that never wait would starve the extension host).
    while (!this.isDateComplete(key) && !this.done) {
      await this.loadNextPage(signal);
      onPage?.();
    }
  }

  /** Loads every remaining page (and every archived day). */
  async loadAll(signal?: AbortSignal, onPage?: () => void): Promise<void> {
    if (this.archive && !this.archive.allLoaded) {
      await this.archive.loadAll(signal);
      onPage?.();
    }
    while (!this.done) {
      await this.loadNextPage(signal);
      onPage?.();
    }
  }

  /** Files entries under their dates (the feed calls this). */
  add(entries: readonly OperationLogEntry[]): void {
    this.file(entries);
    this.total += entries.length;
  }

  /** Files entries under their dates without counting them (archived entries were counted up front). */
  private file(entries: readonly OperationLogEntry[]): void {
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
    }
    // Archived entries too: findings are checked for every entry the log files.
    if (entries.length) this.onAdd?.(entries);
  }
}
