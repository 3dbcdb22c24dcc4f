/**
 * Findings as a Markdown report or RFC 4180 CSV. Plain Node. Every string from Zoom is untrusted:
 * Markdown text is escaped, details are inline code with a fence longer than any backtick run inside,
 * control and bidirectional characters are shown as `\u....` escapes; CSV cells go through the export's
 * csvCell (quoting and the spreadsheet formula guard).
 */
import { csvCell } from '../export/formats';
import { SEVERITIES, type Finding, type Severity } from './rules';
import { l10n } from '../l10n';

export interface ReportMeta {
  /** E.g. `2026-11-01 to 2026-11-26`, or the two dates. */
  range: string | { from: string; to: string };
  account?: string;
  generatedAt: Date | string;
}

/** Details longer than this are cut in the Markdown report (the CSV keeps them whole). */
export const MAX_DETAIL_IN_REPORT = 2000;

/** @userFacing */
function severityLabel(s: Severity): string {
  return s === 'high' ? l10n.t('High') : s === 'medium' ? l10n.t('Medium') : l10n.t('Low');
}

/** C0/C1 controls (except none), bidi overrides/isolates, zero-width and BOM characters. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function visible(s: string): string {
  return s.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Prose fields (operator, action...) longer than this are cut with `…`. */
const MAX_PROSE = 500;

/** Escapes text for Markdown prose and table cells (one line, at most 500 characters). */
export function mdText(s: string): string {
  let v = String(s ?? '');
  if (v.length > MAX_PROSE) v = `${v.slice(0, MAX_PROSE)}…`;
  return visible(v)
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&')
    .replace(/^\s+|\s+$/g, '');
}

/** Inline code that shows `s` literally: backticks inside never close it, controls are made visible. */
export function mdCode(s: string, max = MAX_DETAIL_IN_REPORT): string {
  let v = String(s ?? '');
  const cut = v.length > max;
  if (cut) v = v.slice(0, max);
  v = visible(v);
  if (v === '') return l10n.t('(empty)');
  let longest = 0;
  for (const m of v.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || v.startsWith(' ') || v.endsWith(' ') ? ' ' : '';
  const note = cut ? ` ${l10n.t('(first {0} of {1} characters)', max, s.length)}` : '';
  return `${fence}${pad}${v}${pad}${fence}${note}`;
}

function rangeText(r: ReportMeta['range']): string {
  return typeof r === 'string' ? r : l10n.t('{0} to {1}', r.from, r.to);
}

function timeText(t: Date | string): string {
  if (t instanceof Date) return Number.isNaN(t.getTime()) ? l10n.t('unknown') : t.toISOString().replace('.000Z', 'Z');
  return String(t);
}

/** A Markdown report: heading, summary by severity and by rule, then every finding (high first, then newest). */
export function findingsMarkdown(findings: readonly Finding[], meta: ReportMeta): string {
  return [...findingsMarkdownChunks(findings, meta)].join('');
}

/**
 * `findingsMarkdown` in pieces of about REPORT_CHUNK_LINES lines, joined they are the same text: a report of
 * a million findings is about 500 million characters, more than one string can hold, so a report saved to a file
 * is written piece by piece and never built whole.
 */
export function findingsMarkdownChunks(findings: readonly Finding[], meta: ReportMeta): Generator<string> {
  return linesInPieces(markdownLines(findings, meta), '\n');
}

/** Lines per piece of a chunked report (about 200 KB of Markdown). */
export const REPORT_CHUNK_LINES = 4000;

/**
 * The lines, each followed by `eol`, in pieces of `size` lines (blank lines not counted); blank lines at the end
 * are dropped. Joined, the pieces are `lines.join(eol) + eol` once the blank lines at the end are popped.
 */
export function* linesInPieces(lines: Iterable<string>, eol: string, size = REPORT_CHUNK_LINES): Generator<string> {
  let piece = '';
  let count = 0;
  let blanks = 0;
  for (const line of lines) {
    if (line === '') {
      blanks++;
      continue;
    }
    for (; blanks > 0; blanks--) piece += eol;
    piece += line + eol;
    if (++count >= size) {
      yield piece;
      piece = '';
      count = 0;
    }
  }
  if (piece) yield piece;
}

function* markdownLines(findings: readonly Finding[], meta: ReportMeta): Generator<string> {
  const lines: string[] = [`# ${l10n.t('Zoom operation logs: audit findings')}`, ''];
  lines.push(`- ${l10n.t('Range: {0}', mdText(rangeText(meta.range)))}`);
  if (meta.account) lines.push(`- ${l10n.t('Account: {0}', mdText(meta.account))}`);
  lines.push(`- ${l10n.t('Generated: {0}', mdText(timeText(meta.generatedAt)))}`);
  lines.push(`- ${l10n.t('Findings: {0}', findings.length)}`, '');

  const h = {
    severity: l10n.t('Severity'),
    findings: l10n.t('Findings'),
    rule: l10n.t('Rule'),
    title: l10n.t('Title'),
  };
  lines.push(`## ${l10n.t('Summary')}`, '', `| ${h.severity} | ${h.findings} |`, '| --- | ---: |');
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  for (const s of SEVERITIES) lines.push(`| ${severityLabel(s)} | ${bySeverity[s]} |`);
  lines.push('');

  const byRule = new Map<string, { title: string; severity: Severity; count: number }>();
  for (const f of findings) {
    const r = byRule.get(f.ruleId);
    if (r) r.count++;
    else byRule.set(f.ruleId, { title: f.title, severity: f.ruleSeverity, count: 1 });
  }
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  if (byRule.size) {
    lines.push(`| ${h.rule} | ${h.title} | ${h.severity} | ${h.findings} |`, '| --- | --- | --- | ---: |');
    const rows = [...byRule].sort(
      ([a, x], [b, y]) => rank(x.severity) - rank(y.severity) || y.count - x.count || (a < b ? -1 : a > b ? 1 : 0),
    );
    for (const [id, r] of rows) {
      lines.push(`| ${mdText(id)} | ${mdText(r.title)} | ${severityLabel(r.severity)} | ${r.count} |`);
    }
    lines.push('');
  } else {
    lines.push(l10n.t('No rule flagged any entry in this range.'), '');
  }

  if (findings.length) lines.push(`## ${h.findings}`, '');
  yield* lines;
  const ordered = [...findings].sort((a, b) => rank(a.severity) - rank(b.severity) || b.entry.timeMs - a.entry.timeMs);
  for (let i = 0; i < ordered.length; i++) {
    const f = ordered[i];
    const e = f.entry;
    const sev = f.trusted
      ? l10n.t('{0} (trusted operator; rule says {1})', severityLabel(f.severity), f.ruleSeverity)
      : severityLabel(f.severity);
    yield `### ${i + 1}. ${mdText(f.title)}`;
    yield '';
    yield `- ${l10n.t('Rule: {0}', mdText(f.ruleId))}`;
    yield `- ${l10n.t('Severity: {0}', sev)}`;
    yield `- ${l10n.t('Time: {0}', mdText(e.time))}`;
    yield `- ${l10n.t('Operator: {0}', mdText(e.operator))}`;
    yield `- ${l10n.t('Category: {0}', mdText(e.categoryType))}`;
    yield `- ${l10n.t('Action: {0}', mdText(e.action))}`;
    yield `- ${l10n.t('Detail: {0}', mdCode(e.operationDetail))}`;
    yield `- ${l10n.t('Check: {0}', mdText(f.check))}`;
    yield '';
  }
}

export const FINDINGS_CSV_HEADER = [
  'severity',
  'rule',
  'title',
  'time',
  'operator',
  'category_type',
  'action',
  'operation_detail',
  'check',
  'trusted',
] as const;

/** RFC 4180 CSV (CRLF), one row per finding, in the given order; formula guard on by default. */
export function findingsCsv(findings: readonly Finding[], opts: { formulaGuard?: boolean } = {}): string {
  return [...findingsCsvChunks(findings, opts)].join('');
}

/** `findingsCsv` in pieces of REPORT_CHUNK_LINES rows (see findingsMarkdownChunks). */
export function findingsCsvChunks(
  findings: readonly Finding[],
  opts: { formulaGuard?: boolean } = {},
): Generator<string> {
  return linesInPieces(csvLines(findings, opts.formulaGuard ?? true), '\r\n');
}

function* csvLines(findings: readonly Finding[], guard: boolean): Generator<string> {
  yield FINDINGS_CSV_HEADER.join(',');
  for (const f of findings) {
    const e = f.entry;
    const row = [
      f.severity,
      f.ruleId,
      f.title,
      e.time,
      e.operator,
      e.categoryType,
      e.action,
      e.operationDetail,
      f.check,
      f.trusted ? 'yes' : 'no', // machine-readable values, like the header: not translated
    ];
    yield row.map((v) => csvCell(String(v ?? ''), guard)).join(',');
  }
}
