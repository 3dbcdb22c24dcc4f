import type { OperationLogEntry } from '../zoom/types';

/** Entries the tree marks "new" at most (the oldest marks are dropped first). */
export const FRESH_CAP = 50_000;

/** Equal for equal entries, whichever object holds them (a sync's and the tree's are different objects). */
export function entryKey(e: OperationLogEntry): string {
  return [e.time, e.operator, e.categoryType, e.action, e.operationDetail].join('\u0000');
}

/**
 * Entries a background sync added that nobody has seen yet: the tree marks them "new" until they
 * are opened, or their date is collapsed after being shown. Plain Node; one per account. Kept as
 * a count per key, so two identical entries in the same second are two new entries.
 */
export class FreshEntries {
  private readonly counts = new Map<string, number>();
  private total = 0;
  private readonly listeners = new Set<() => void>();

  /** How many entries are marked new. */
  get size(): number {
    return this.total;
  }

  /** Marks entries new (a background sync added them). */
  add(entries: readonly OperationLogEntry[]): void {
    if (!entries.length) return;
    for (const e of entries) {
      const k = entryKey(e);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
      this.total++;
    }
    // Map keeps insertion order: drop the oldest marks past the cap.
    for (const [k, n] of this.counts) {
      if (this.total <= FRESH_CAP) break;
      this.counts.delete(k);
      this.total -= n;
    }
    this.fire();
  }

  has(e: OperationLogEntry): boolean {
    return this.counts.has(entryKey(e));
  }

  /** These entries were seen (opened, or listed under a date that was then collapsed); true when any was new. */
  seen(entries: readonly OperationLogEntry[]): boolean {
    let any = false;
    for (const e of entries) {
      const k = entryKey(e);
      const n = this.counts.get(k);
      if (n === undefined) continue;
      this.counts.delete(k);
      this.total -= n;
      any = true;
    }
    if (any) this.fire();
    return any;
  }

  /** Listens for changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fire(): void {
    for (const l of this.listeners) l();
  }
}
