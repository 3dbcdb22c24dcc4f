/**
 * The part of a query's range that the local archive serves (plain Node: no `vscode`, no import of
 * src/archive: the archive is reached through the small `ArchiveReader` interface it satisfies).
 *
 * The first level of the tree comes from the archive manifest's per-day, per-category counts
 * (no file is read, so a million archived entries show at once); a date's entries are read
 * from its day file(s) when the date is expanded, once for every category.
 */
import { addDays, categoryKey as categoryKeyOf, isKnownCategory, type OperationLogEntry } from '../zoom';
import type { DateKeyer } from './timeZones';

export interface ArchiveDayCounts {
  readonly day: string;
  readonly entries: number;
  readonly complete: boolean;
  /** Entries per `category_type` display string. */
  readonly categories: Readonly<Record<string, number>>;
}

export interface ArchiveReader {
  /** Per-day counts from the manifest alone, newest first. */
  dayCounts(from: string, to: string): readonly ArchiveDayCounts[];
  /** Archived entries of the days in [from, to], newest first, no requests; damaged days skipped and listed. */
  readRange(
    from: string,
    to: string,
  ): Promise<{ entries: OperationLogEntry[]; damaged: readonly { day: string; message: string }[] }>;
}

/** Where a range's entries come from. */
export type DataSource = 'archive' | 'zoom' | 'both';

export interface RangeSplit {
  /** The archive serves [from, archiveTo]; undefined when it serves nothing. */
  readonly archiveTo?: string;
  /** Zoom serves [zoomFrom, to]; undefined when the archive serves everything. */
  readonly zoomFrom?: string;
  readonly source: DataSource;
}

const DAY_MS = 86_400_000;
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Splits [from, to] into the days the archive serves (a run from `from` of days archived
 * complete, or older than Zoom's `horizon`, which Zoom refuses anyway, archived or not) and the
 * rest, which Zoom serves. Zoom serves everything when `from` is a day it still has and the
 * archive does not hold complete.
 */
export function splitRange(
  from: string,
  to: string,
  days: Readonly<Record<string, { readonly complete: boolean }>>,
  horizon: string,
): RangeSplit {
  let last: string | undefined;
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (!(days[d]?.complete || d < horizon)) break;
    last = d;
  }
  if (!last) return { zoomFrom: from, source: 'zoom' };
  if (last >= to) return { archiveTo: to, source: 'archive' };
  return { archiveTo: last, zoomFrom: addDays(last, 1), source: 'both' };
}

type Sink = (entries: readonly OperationLogEntry[], lost: number) => void;

/**
 * The archived days [from, to] of one query: counts per category from the manifest, and
 * single-flight reads of each day's file, handed to the category logs that registered.
 */
export class ArchivePart {
  /** The first instant after the archived part (UTC midnight after `to`). */
  readonly endMs: number;
  /** Newest first. */
  private readonly days: readonly ArchiveDayCounts[];
  private readonly byDay = new Map<string, ArchiveDayCounts>();
  private readonly loaded = new Set<string>();
  private readonly loading = new Map<string, Promise<void>>();
  private readonly sinks = new Map<string, Sink>();
  private othersSink: Sink | undefined;
  /** Days skipped because their file no longer matches the manifest. */
  readonly damaged: { day: string; message: string }[] = [];
  /** Day files read so far (for tests and the log). */
  filesRead = 0;

  constructor(
    readonly from: string,
    readonly to: string,
    private readonly reader: ArchiveReader,
    private readonly keyer: DateKeyer,
  ) {
    this.endMs = Date.parse(`${addDays(to, 1)}T00:00:00Z`);
    this.days = reader.dayCounts(from, to);
    for (const d of this.days) {
      this.byDay.set(d.day, d);
      if (d.entries === 0) this.loaded.add(d.day);
    }
  }

  /** Entries archived for a category grouping key (`user`, `other:user group`, ...), from the manifest. */
  count(category: string): number {
    let n = 0;
    for (const d of this.days) n += countOf(d, category);
    return n;
  }

  /** Every archived entry of the part (bench/archive.ts reports it). */
  get total(): number {
    return this.days.reduce((n, d) => n + d.entries, 0);
  }

  /** Receives a category's entries as days are read; `lost` counts entries of a damaged day. */
  register(category: string, sink: Sink): void {
    this.sinks.set(category, sink);
  }

  /** Receives entries of categories outside the eleven. */
  registerOthers(sink: Sink): void {
    this.othersSink = sink;
  }

  /** Date keys (in the keyer's zone) that hold archived entries of a category, newest first. */
  dateKeys(category: string): string[] {
    const keys = new Set<string>();
    for (const d of this.days) {
      if (!countOf(d, category)) continue;
      const start = Date.parse(`${d.day}T00:00:00Z`);
      keys.add(this.keyer.dateKey(start));
      keys.add(this.keyer.dateKey(start + DAY_MS - 1));
    }
    return [...keys].sort().reverse();
  }

  /** The archived UTC days that overlap a date of the keyer's zone. */
  private daysOf(key: string): string[] {
    const start = this.keyer.startOfDate(key);
    if (!Number.isFinite(start)) return [];
    const end = this.keyer.startOfDate(addDays(key, 1));
    const out: string[] = [];
    for (let d = utcDay(start); d <= utcDay(end - 1); d = addDays(d, 1)) if (this.byDay.has(d)) out.push(d);
    return out;
  }

  /** The damaged archived days (read, and found changed) that overlap a date of the keyer's zone. */
  damagedOn(key: string): readonly { day: string; message: string }[] {
    if (!this.damaged.length) return [];
    const days = new Set(this.daysOf(key));
    return this.damaged.filter((d) => days.has(d.day));
  }

  /** Whether every archived day overlapping the date has been read. */
  isLoadedFor(key: string): boolean {
    return this.daysOf(key).every((d) => this.loaded.has(d));
  }

  /**
   * Archived entries of a category on a date not read yet, when the manifest tells exactly
   * (the date is one UTC day); undefined when it cannot.
   */
  pendingCount(category: string, key: string): number | undefined {
    const days = this.daysOf(key).filter((d) => !this.loaded.has(d));
    if (!days.length) return 0;
    if (this.keyer.zone !== 'UTC') return undefined;
    return days.reduce((n, d) => n + countOf(this.byDay.get(d), category), 0);
  }

  get allLoaded(): boolean {
    return this.days.every((d) => this.loaded.has(d.day));
  }

  /** Reads the archived days of a date (single-flight per day). */
  async loadFor(key: string, signal?: AbortSignal): Promise<void> {
    for (const d of this.daysOf(key)) {
      signal?.throwIfAborted();
      await this.loadDay(d);
    }
  }

  /** Reads every archived day of the part, newest first. */
  async loadAll(signal?: AbortSignal): Promise<void> {
    for (const d of this.days) {
      signal?.throwIfAborted();
      await this.loadDay(d.day);
    }
  }

  private loadDay(day: string): Promise<void> {
    if (this.loaded.has(day)) return Promise.resolve();
    let p = this.loading.get(day);
    if (!p) {
      p = this.read(day).finally(() => this.loading.delete(day));
      this.loading.set(day, p);
    }
    return p;
  }

  private async read(day: string): Promise<void> {
    const { entries, damaged } = await this.reader.readRange(day, day);
    this.filesRead++;
    this.loaded.add(day);
    const rec = this.byDay.get(day);
    if (damaged.length) {
      this.damaged.push(...damaged);
      // The manifest counted these entries; the day cannot be shown, so the counts drop.
      for (const [category, sink] of this.sinks) sink([], countOf(rec, category));
      return;
    }
    const batches = new Map<string, OperationLogEntry[]>();
    const others: OperationLogEntry[] = [];
    for (const e of entries) {
      if (!isKnownCategory(e.category) && !this.sinks.has(e.category)) {
        others.push(e);
        continue;
      }
      let b = batches.get(e.category);
      if (!b) batches.set(e.category, (b = []));
      b.push(e);
    }
    for (const [category, batch] of batches) this.sinks.get(category)?.(batch, 0);
    if (others.length) this.othersSink?.(others, 0);
  }
}

/** Entries of one grouping key on an archived day, from the manifest's display-string counts. */
function countOf(d: ArchiveDayCounts | undefined, category: string): number {
  if (!d) return 0;
  let n = 0;
  for (const [display, c] of Object.entries(d.categories)) if (categoryKeyOf(display) === category) n += c;
  return n;
}
