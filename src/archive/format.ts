/**
 * The archive's file format: one gzip file of NDJSON per UTC day, one Zoom entry per
 * line with Zoom's own field names in Zoom's order, lines sorted oldest first
 * (ties broken by the line's text), so the same multiset of entries always gives
 * the same bytes and the same SHA-256.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip, constants as zlibConstants } from 'node:zlib';
import { categoryKey } from '../zoom/categories';
import { formatDate, parseDate } from '../zoom/dates';
import { toRawEntry } from '../zoom/rawEntry';
import type { OperationLogEntry } from '../zoom/types';
import { l10n } from '../l10n';

/** The fields of every line, in this order, and no others. */
export const LINE_FIELDS = ['time', 'operator', 'category_type', 'action', 'operation_detail'] as const;
export const DAY_FILE_SUFFIX = '.ndjson.gz';
export const GZIP_LEVEL = 9;

/** One line of a day file (without the newline). */
export function entryLine(e: OperationLogEntry): string {
  return JSON.stringify(toRawEntry(e));
}

/**
 * The UTC calendar day of an entry's time, or undefined when the time is unusable.
 * A time without a zone is read as UTC, as Zoom's times are.
 */
export function utcDayOf(time: string): string | undefined {
  const t = time.trim();
  if (/^\d{4}-\d{2}-\d{2}(?:[T ][^+-]*)?$/i.test(t)) {
    const day = t.slice(0, 10);
    return parseDate(day) === undefined ? undefined : day;
  }
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? formatDate(ms) : undefined;
}

/** `root/YYYY/MM/YYYY-MM-DD.ndjson.gz` */
export function dayFilePath(root: string, day: string): string {
  return path.join(root, day.slice(0, 4), day.slice(5, 7), `${day}${DAY_FILE_SUFFIX}`);
}

/** The day a path inside the archive names, when it is a day file in its proper place. */
export function dayOfRelativePath(rel: string): string | undefined {
  const m = /^(\d{4})[/\\](\d{2})[/\\](\d{4}-\d{2}-\d{2})\.ndjson\.gz$/.exec(rel);
  if (!m || m[3].slice(0, 4) !== m[1] || m[3].slice(5, 7) !== m[2] || parseDate(m[3]) === undefined) return undefined;
  return m[3];
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Whether a value is a SHA-256 as `sha256` writes it (64 lowercase hex digits). */
export function isSha256(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}

/** Sorts lines into the canonical order: oldest first, then by text (JS string order). */
export function canonicalOrder(lines: string[]): string[] {
  return lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The gzip bytes of a day's lines (already in canonical order). Deterministic: no name, mtime 0.
 * Compressed on libuv's thread pool, so a sync's rate-limited requests keep their pace.
 */
export function encodeDay(lines: readonly string[]): Promise<Buffer> {
  const text = lines.length ? `${lines.join('\n')}\n` : '';
  return gzipAsync(Buffer.from(text, 'utf8'), {
    level: GZIP_LEVEL,
    memLevel: 9,
    strategy: zlibConstants.Z_DEFAULT_STRATEGY,
  });
}

/** The lines of a day file (gunzipped, split, without the trailing empty line). */
export async function decodeDayLines(gz: Buffer): Promise<string[]> {
  const text = (await gunzipAsync(gz)).toString('utf8');
  if (!text) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Parses one archived line back into an entry; throws a plain Error on a line that is not one. */
export function parseLine(line: string): OperationLogEntry {
  const o = JSON.parse(line) as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw new Error(l10n.t('a line is not a JSON object'));
  const s = (k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const time = s('time');
  const categoryType = s('category_type');
  return {
    time,
    timeMs: Date.parse(time),
    operator: s('operator'),
    categoryType,
    category: categoryKey(categoryType),
    action: s('action'),
    operationDetail: s('operation_detail'),
  };
}
