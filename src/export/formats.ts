import { toRawEntry, type OperationLogEntry } from '../zoom';

export type ExportFormat = 'json' | 'csv';

export const CSV_HEADER = ['time', 'operator', 'category_type', 'action', 'operation_detail'] as const;

/** A pretty JSON array of entries in Zoom's shape. */
export function toJson(entries: readonly OperationLogEntry[]): string {
  return formatEntries(entries, 'json', { formulaGuard: false });
}

/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a quote, comma,
 * CR or LF, quotes doubled. With `formulaGuard`, a cell that a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading '.
 */
export function toCsv(entries: readonly OperationLogEntry[], opts: { formulaGuard: boolean }): string {
  return formatEntries(entries, 'csv', opts);
}

export function csvCell(value: string, formulaGuard: boolean): string {
  const v = formulaGuard && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Parses RFC 4180 CSV back into rows (for tests and round trips). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Columns added after Zoom's own fields (the parsed change); plain strings, computed by the caller. */
export interface ExtraColumns {
  readonly names: readonly string[];
  values(e: OperationLogEntry): readonly string[];
}

export interface FormatOptions {
  formulaGuard: boolean;
  extra?: ExtraColumns;
}

/** The export of `entries` as one string (see formatChunks; a string holds at most about 500 million characters). */
export function formatEntries(
  entries: readonly OperationLogEntry[],
  format: ExportFormat,
  opts: FormatOptions,
): string {
  let out = '';
  for (const chunk of formatChunks(entries, format, opts)) out += chunk;
  return out;
}

/** Entries per chunk of formatChunks: a chunk is some tens of kilobytes. */
const CHUNK_ENTRIES = 200;

/**
 * The export of `entries` in pieces that, put together, are the pretty JSON array (as `JSON.stringify(rows, null,
 * 2)` writes it) or the RFC 4180 CSV with its header. An export too large for one string (millions of entries)
 * can be measured and written to a file piece by piece.
 */
export function* formatChunks(
  entries: readonly OperationLogEntry[],
  format: ExportFormat,
  opts: FormatOptions,
): Generator<string, void, undefined> {
  const extra = opts.extra;
  // One value per column, whatever the caller returned: every row as wide as the header.
  const valuesOf = (e: OperationLogEntry): string[] => {
    const values = extra!.values(e);
    return extra!.names.map((_, i) => values[i] ?? '');
  };
  const rowOf = (e: OperationLogEntry): Record<string, string> => {
    if (!extra) return toRawEntry(e);
    const row: Record<string, string> = { ...toRawEntry(e) };
    const values = valuesOf(e);
    extra.names.forEach((n, k) => (row[n] = values[k]));
    return row;
  };
  if (format === 'json') {
    if (!entries.length) {
      yield '[]\n';
      return;
    }
    for (let i = 0; i < entries.length; i += CHUNK_ENTRIES) {
      // The pretty array of these rows is `[` + its elements + `\n]`: the elements, joined by commas across
      // chunks, are the pretty array of all of them (and JSON.stringify writes them as quickly as in one call).
      const text = JSON.stringify(entries.slice(i, i + CHUNK_ENTRIES).map(rowOf), null, 2);
      const elements = text.slice(1, -2);
      yield i + CHUNK_ENTRIES < entries.length ? `${i ? ',' : '['}${elements}` : `${i ? ',' : '['}${elements}\n]\n`;
    }
    return;
  }
  let chunk = `${[...CSV_HEADER, ...(extra?.names ?? [])].join(',')}\r\n`;
  for (let i = 0; i < entries.length; i++) {
    const raw = toRawEntry(entries[i]);
    const cells: string[] = CSV_HEADER.map((k) => raw[k]);
    if (extra) cells.push(...valuesOf(entries[i]));
    chunk += `${cells.map((v) => csvCell(v, opts.formulaGuard)).join(',')}\r\n`;
    if ((i + 1) % CHUNK_ENTRIES === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}
