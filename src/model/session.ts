import { CATEGORIES, CATEGORY_LABELS, type KnownCategory, type OperationLogEntry, type PageSource } from '../zoom';
import { CategoryLog } from './categoryLog';
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
}

let generation = 0;

/** `all categories`, or the selected categories' labels. */
export function describeCategories(categories: readonly KnownCategory[]): string {
  return categories.length === CATEGORIES.length
    ? 'all categories'
    : categories.map((c) => CATEGORY_LABELS[c]).join(', ');
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
  private filterText = '';
  private filterNeedle = '';
  /** The filter's own test (the views layer builds it from the filter syntax); else a substring match. */
  private filterTest: ((e: OperationLogEntry) => boolean) | undefined;

  constructor(
    readonly query: QuerySpec,
    readonly options: SessionOptions,
  ) {
    this.keyer = new DateKeyer(options.timeZone);
    const ordered = CATEGORIES.filter((c) => query.categories.includes(c));
    this.logs = new Map(
      ordered.map((c) => [
        c,
        new CategoryLog(
          c,
          { from: query.from, to: query.to, categoryType: c, pageSize: options.pageSize },
          this.keyer,
          options.client,
        ),
      ]),
    );
    this.others =
      query.categories.length === CATEGORIES.length
        ? new OtherCategoriesLog(
            { from: query.from, to: query.to, pageSize: options.pageSize },
            this.keyer,
            options.client,
          )
        : undefined;
  }

  /**
   * The first day Zoom answered for, when it refused older days as outside its
   * six-month horizon for any category loaded so far.
   */
  refusedBefore(): string | undefined {
    let before: string | undefined;
    for (const f of [...[...this.logs.values()].map((l) => l.feed), ...(this.others ? [this.others.feed] : [])]) {
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
