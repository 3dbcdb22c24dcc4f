/** Zoom and the archive in memory, behind the interfaces the model reads them through (no HTTP, no files). */
import type { ArchiveDayCounts, ArchiveReader } from '../../../src/model/archivePart';
import { categoryKey } from '../../../src/zoom/categories';
import { ZoomError } from '../../../src/zoom/errors';
import type { OperationLogEntry, Page, PageRequest } from '../../../src/zoom/types';

/** The `n`th entry (n < 10) of `categoryType` on a UTC day, at noon plus n seconds. */
export function archivedEntry(day: string, categoryType: string, n: number): OperationLogEntry {
  const time = `${day}T12:00:0${n}Z`;
  return {
    time,
    timeMs: Date.parse(time),
    operator: 'a@example.com',
    categoryType,
    category: categoryKey(categoryType),
    action: 'Update',
    operationDetail: `${categoryType} ${n}`,
  };
}

/** An archive in memory: per day, its entries (the manifest counts are computed from them). */
export function memoryArchive(days: Record<string, OperationLogEntry[]>, damaged: string[] = []) {
  const reads: string[] = [];
  const r: ArchiveReader & { reads: string[] } = {
    reads,
    dayCounts(from, to) {
      return Object.keys(days)
        .filter((d) => d >= from && d <= to)
        .sort()
        .reverse()
        .map((day): ArchiveDayCounts => {
          const categories: Record<string, number> = {};
          for (const e of days[day]) categories[e.categoryType] = (categories[e.categoryType] ?? 0) + 1;
          return { day, entries: days[day].length, complete: true, categories };
        });
    },
    async readRange(from, to) {
      reads.push(from === to ? from : `${from}..${to}`);
      await new Promise((res) => setTimeout(res, 5));
      if (damaged.includes(from)) return { entries: [], damaged: [{ day: from, message: 'changed' }] };
      return { entries: [...(days[from] ?? [])], damaged: [] };
    },
  };
  return r;
}

/**
 * Zoom in memory: `pages` in order (a page's entries, then the token of the next), each request answered with the
 * entries of its category (`all`: every one) inside its window, and recorded. A window that starts before
 * `refuseBefore[category]` is refused as outside the six-month horizon.
 */
export function memoryZoom(pages: OperationLogEntry[][], refuseBefore: Record<string, string> = {}) {
  const requests: PageRequest[] = [];
  return {
    requests,
    fetchPage(req: PageRequest): Promise<Page> {
      requests.push(req);
      const refuse = refuseBefore[req.categoryType];
      if (refuse && req.from < refuse) {
        return Promise.reject(
          new ZoomError('horizon', 'Only provide report in recent 6 months', { status: 300, code: 300 }),
        );
      }
      const i = req.nextPageToken ? Number(req.nextPageToken) : 0;
      const day = (e: OperationLogEntry): string => e.time.slice(0, 10);
      const entries = (pages[i] ?? []).filter(
        (e) =>
          (req.categoryType === 'all' || e.category === req.categoryType) && day(e) >= req.from && day(e) <= req.to,
      );
      return Promise.resolve({ entries, nextPageToken: i + 1 < pages.length ? String(i + 1) : '' });
    },
  };
}
