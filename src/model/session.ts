import { l10n } from '../l10n';
import { CATEGORIES, CATEGORY_LABELS, type KnownCategory, type OperationLogEntry, type PageSource } from '../zoom';
import { ArchivePart, splitRange, type ArchiveReader, type DataSource } from './archivePart';
import { CategoryLog, PageFeed } from './categoryLog';
import { OtherCategoriesLog } from './otherCategories';
import { DateKeyer, type TimeZoneSetting } from './timeZones';

export interface QuerySpec {
  readonly from: string;
  readonly to: string;
  /** Selected categories, in the fixed order of CATEGORIES. */
  readonly categories: readonly KnownCategory[];
}

export interface SessionOptions {
  pageSize: number;
  timeZone: TimeZoneSetting;
  client: () => Promise<PageSource>;
  /** The account's local archive: it serves the days it holds complete (and any day older than `horizon`). */
  archive?: ArchiveReader;
  /** The first day Zoom still answers for (see horizonStart); needed with `archive`. */
  horizon?: string;
}

let generation = 0;

/**
 * `all categories`, or the selected categories' labels.
 * @userFacing
 */
export function describeCategories(categories: readonly KnownCategory[]): string {
  return categories.length === CATEGORIES.length
    ? l10n.t('all categories')
    : categories.map((c) => CATEGORY_LABELS[c]).join(', ');
}

/** `complete` per archived day of [from, to], from the archive's manifest. */
function dayRecords(archive: ArchiveReader, from: string, to: string): Record<string, { complete: boolean }> {
  const out: Record<string, { complete: boolean }> = {};
  for (const d of archive.dayCounts(from, to)) out[d.day] = { complete: d.complete };
  return out;
}

/**
 * The query the view shows: its categories' logs and the filter. A new query
 * or refresh makes a new session generation so tree ids never collide with
 * those of an earlier load.
 */
export class LogSession {
  readonly id = `q${++generation}`;
  readonly keyer: DateKeyer;
  readonly logs: ReadonlyMap<KnownCategory, CategoryLog>;
  /** Categories outside the eleven; only when every category is selected. */
  readonly others: OtherCategoriesLog | undefined;
  /** The archived days of the range, when the archive serves some of them. */
  readonly archive: ArchivePart | undefined;
  /** Where the entries come from: the archive, Zoom, or both. */
  readonly source: DataSource;
  /** The first day Zoom is asked for (undefined when the archive serves the whole range). */
  readonly zoomFrom: string | undefined;
  private filterText = '';
  private filterNeedle = '';
  private readonly entryListeners = new Set<(entries: readonly OperationLogEntry[]) => void>();
  /** The filter's own test (the views layer builds it from the filter syntax); else a substring match. */
  private filterTest: ((e: OperationLogEntry) => boolean) | undefined;

  constructor(
    readonly query: QuerySpec,
    readonly options: SessionOptions,
  ) {
    this.keyer = new DateKeyer(options.timeZone);
    const split =
      options.archive && options.horizon
        ? splitRange(query.from, query.to, dayRecords(options.archive, query.from, query.to), options.horizon)
        : { zoomFrom: query.from, source: 'zoom' as const, archiveTo: undefined };
    this.source = split.source;
    this.zoomFrom = split.zoomFrom;
    this.archive =
      options.archive && split.archiveTo
        ? new ArchivePart(query.from, split.archiveTo, options.archive, this.keyer)
        : undefined;
    const none = split.zoomFrom === undefined;
    const zoomFrom = split.zoomFrom ?? query.from;
    const ordered = CATEGORIES.filter((c) => query.categories.includes(c));
    this.logs = new Map(
      ordered.map((c) => {
        const q = { from: zoomFrom, to: query.to, categoryType: c, pageSize: options.pageSize };
        // The feed is made here so it can know there is nothing to ask Zoom for.
        const feed: PageFeed = new PageFeed(q, options.client, (entries) => log.add(entries), none);
        const log: CategoryLog = new CategoryLog(c, q, this.keyer, options.client, feed);
        if (this.archive) log.useArchive(this.archive);
        return [c, log];
      }),
    );
    this.others =
      query.categories.length === CATEGORIES.length
        ? new OtherCategoriesLog(
            { from: zoomFrom, to: query.to, pageSize: options.pageSize },
            this.keyer,
            options.client,
            none,
          )
        : undefined;
    if (this.archive) this.others?.useArchive(this.archive);
    const emit = (entries: readonly OperationLogEntry[]): void => {
      for (const l of this.entryListeners) l(entries);
    };
    for (const log of this.logs.values()) log.onAdd = emit;
    if (this.others) this.others.onAdd = emit;
  }

  /**
   * Calls `listener` with every batch of entries the session's logs receive (a page of a category, or the
   * entries of a page of all categories that fall outside the eleven). Returns the unsubscribe function.
   */
  onEntries(listener: (entries: readonly OperationLogEntry[]) => void): () => void {
    this.entryListeners.add(listener);
    return () => this.entryListeners.delete(listener);
  }

  /** Every entry the session's logs hold so far. */
  loadedEntries(): OperationLogEntry[] {
    const all = [...this.logs.values()].flatMap((l) => l.allEntries());
    return this.others ? all.concat(this.others.allEntries()) : all;
  }

  /**
   * The first day Zoom answered for, when it refused older days as outside its
   * six-month horizon for any category loaded so far.
   */
  refusedBefore(): string | undefined {
    let before: string | undefined;
    const feeds = [...this.logs.values()].map((l) => l.feed);
    if (this.others) feeds.push(this.others.feed);
    for (const f of feeds) {
      const b = f.refusedBefore;
      if (b && (!before || b > before)) before = b;
    }
    return before;
  }

  get filter(): string {
    return this.filterText;
  }

  /** @param test how entries are matched (e.g. the filter syntax); without it, a substring of operator, action or detail. */
  setFilter(text: string, test?: (e: OperationLogEntry) => boolean): void {
    this.filterText = text.trim();
    this.filterNeedle = this.filterText.toLowerCase();
    this.filterTest = this.filterText ? test : undefined;
  }

  /** Filter on operator, action and detail, case-insensitive. */
  matches(e: OperationLogEntry): boolean {
    if (!this.filterNeedle) return true;
    if (this.filterTest) return this.filterTest(e);
    const n = this.filterNeedle;
    return (
      e.operator.toLowerCase().includes(n) ||
      e.action.toLowerCase().includes(n) ||
      e.operationDetail.toLowerCase().includes(n)
    );
  }

  visible(entries: readonly OperationLogEntry[]): readonly OperationLogEntry[] {
    return this.filterNeedle ? entries.filter((e) => this.matches(e)) : entries;
  }

  /** Same query, nothing loaded: for Refresh. */
  renewed(options: Partial<SessionOptions> = {}): LogSession {
    const next = new LogSession(this.query, { ...this.options, ...options });
    next.setFilter(this.filterText, this.filterTest);
    return next;
  }
}
