import { toRawEntry, type OperationLogEntry } from '../zoom';

export type ExportFormat = 'json' | 'csv';

export const CSV_HEADER = ['time', 'operator', 'category_type', 'action', 'operation_detail'] as const;

/** A pretty JSON array of entries in Zoom's shape. */
export function toJson(entries: readonly OperationLogEntry[]): string {
  return `${JSON.stringify(entries.map(toRawEntry), null, 2)}\n`;
}

/**
 * RFC 4180 CSV: CRLF line ends, fields quoted when they hold a quote, comma,
 * CR or LF, quotes doubled. With `formulaGuard`, a cell that a spreadsheet
 * would run as a formula (starting with = + - @, tab or CR) gets a leading '.
 */
export function toCsv(entries: readonly OperationLogEntry[], opts: { formulaGuard: boolean }): string {
  const lines = [CSV_HEADER.join(',')];
  for (const e of entries) {
    const raw = toRawEntry(e);
    lines.push(CSV_HEADER.map((k) => csvCell(raw[k], opts.formulaGuard)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
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

export function formatEntries(
  entries: readonly OperationLogEntry[],
  format: ExportFormat,
  opts: { formulaGuard: boolean; extra?: ExtraColumns },
): string {
  const extra = opts.extra;
  if (!extra) return format === 'json' ? toJson(entries) : toCsv(entries, opts);
  // One value per column, whatever the caller returned: every row as wide as the header.
  const valuesOf = (e: OperationLogEntry): string[] => {
    const values = extra.values(e);
    return extra.names.map((_, i) => values[i] ?? '');
  };
  if (format === 'json') {
    const rows = entries.map((e) => {
      const row: Record<string, string> = { ...toRawEntry(e) };
      const values = valuesOf(e);
      extra.names.forEach((n, i) => (row[n] = values[i]));
      return row;
    });
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  const lines = [[...CSV_HEADER, ...extra.names].join(',')];
  for (const e of entries) {
    const raw = toRawEntry(e);
    const cells = [...CSV_HEADER.map((k) => raw[k]), ...valuesOf(e)];
    lines.push(cells.map((v) => csvCell(v, opts.formulaGuard)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
