import { l10n } from '../l10n';
import { isKnownCategory, type OperationLogEntry, type PageSource } from '../zoom';
import type { ArchivePart } from './archivePart';
import { CategoryLog, PageFeed } from './categoryLog';
import type { DateKeyer } from './timeZones';

/**
 * What the "Other categories" node says about its cost.
 * @userFacing
 */
export function otherCategoriesCost(): string {
  return l10n.t(
    "Entries whose category is not one of the eleven Zoom lets you query (such as User Group or Channels). Zoom can only return them mixed with every other category, so this pages through all of the range's entries to find them: as many requests as exporting all categories.",
  );
}

/**
 * Entries of categories outside the query enum (`User Group`, `Channels`, ...):
 * one `category_type=all` feed, keeping only entries whose category is not one
 * of the eleven, one CategoryLog per category (by Zoom's display string).
 */
export class OtherCategoriesLog {
  readonly feed: PageFeed;
  private readonly byCategory = new Map<string, CategoryLog>();
  private sorted: CategoryLog[] | undefined;
  /** Entries kept (outside the eleven categories). */
  total = 0;
  /** Called with every batch of kept entries (LogSession.onEntries listens here). */
  onAdd: ((entries: readonly OperationLogEntry[]) => void) | undefined;
  private archive: ArchivePart | undefined;

  /** @param none the archive serves the whole range: nothing to ask Zoom for. */
  constructor(
    query: { from: string; to: string; pageSize: number },
    private readonly keyer: DateKeyer,
    client: () => Promise<PageSource>,
    none = false,
  ) {
    this.feed = new PageFeed({ ...query, categoryType: 'all' }, client, (entries) => this.dispatch(entries), none);
  }

  /** Takes the archived days' entries outside the eleven categories (read all at once on the first load). */
  useArchive(part: ArchivePart): void {
    this.archive = part;
    part.registerOthers((entries) => this.dispatch(entries));
  }

  get started(): boolean {
    return this.feed.started && (!this.archive || this.archive.allLoaded);
  }

  /** Every archived day read and every page of Zoom's part received. */
  get done(): boolean {
    return this.feed.done && (!this.archive || this.archive.allLoaded);
  }

  /** One log per category found so far, by label. */
  categories(): readonly CategoryLog[] {
    this.sorted ??= [...this.byCategory.values()].sort((a, b) => a.label.localeCompare(b.label));
    return this.sorted;
  }

  /** Every kept entry (unsorted across categories). */
  allEntries(): OperationLogEntry[] {
    return this.categories().flatMap((c) => c.allEntries());
  }

  async loadNextPage(signal?: AbortSignal): Promise<number> {
    if (this.archive && !this.archive.allLoaded) {
      const before = this.total;
      await this.archive.loadAll(signal);
      return this.total - before;
    }
    return this.feed.loadNextPage(signal);
  }

  async loadAll(signal?: AbortSignal, onPage?: () => void): Promise<void> {
    while (!this.done) {
      await this.loadNextPage(signal);
      onPage?.();
    }
  }

  private dispatch(entries: readonly OperationLogEntry[]): void {
    const batches = new Map<string, OperationLogEntry[]>();
    for (const e of entries) {
      if (isKnownCategory(e.category)) continue;
      let b = batches.get(e.category);
      if (!b) batches.set(e.category, (b = []));
      b.push(e);
    }
    for (const [category, batch] of batches) {
      let log = this.byCategory.get(category);
      if (!log) {
        log = new CategoryLog(
          category,
          this.feed.query,
          this.keyer,
          // l10n-ignore: never called (the feed fills these logs); an invariant, not a message
          () => Promise.reject(new Error('fed by the other-categories feed')),
          this.feed,
          batch[0].categoryType,
        );
        this.byCategory.set(category, log);
        this.sorted = undefined;
      }
      log.add(batch);
      this.total += batch.length;
      this.onAdd?.(batch);
    }
  }
}
