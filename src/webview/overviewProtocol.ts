/**
 * The messages between the extension and the activity overview page: one contract for both sides,
 * validated on both. The page script bundles this file: no `vscode`, no Node modules.
 */
import { listOf, ownCount, ownString, ownValue, plainObject } from './guards';

/**
 * The page's own texts, translated by the extension (no translation runs in the page); the page fills `{0}`, `{1}`...
 * with its figures (see `fill`).
 */
export const OVERVIEW_TEXT_KEYS = [
  'summary',
  'entriesChart',
  'entriesDay',
  'findingsChart',
  'findingsDay',
  'chartCaption',
  'chartLabel',
  'legend',
  'topOperators',
  'topActions',
  'topTargets',
  'topRow',
  'empty',
  'none',
  'table',
  'date',
  'entries',
  'findings',
  'filtering',
  'coverageChart',
  'coverageCaption',
  'coverageDay',
  'coverage_complete',
  'coverage_incomplete',
  'coverage_missing',
  'coverage_atRisk',
  'coverage_lost',
] as const;
export type OverviewTexts = Readonly<Record<(typeof OVERVIEW_TEXT_KEYS)[number], string>>;

/** insights' NONE: the name of a top-list row without an operator, action or target (shown as `texts.none`). */
export const NONE_NAME = '(none)';

/** `{n}` replaced by the n-th value; a `{n}` without one stays as it is (as vscode.l10n.t does). */
export function fill(template: string, ...values: (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = values[Number(i)];
    return v === undefined ? m : String(v);
  });
}

export interface NameCount {
  readonly name: string;
  readonly count: number;
}

export interface OverviewDay {
  /** `yyyy-mm-dd` in the view's time zone. */
  readonly date: string;
  /** Entries per category, in the order of `OverviewModel.categories` (0 where none). */
  readonly byCategory: readonly number[];
  readonly entries: number;
  readonly findings: number;
}

/** A day of the archive's coverage strip: archived and complete, incomplete, missing (Zoom still has it),
 * missing and about to fall off Zoom's horizon, or lost (Zoom no longer has it). */
export const COVERAGE_STATUSES = ['complete', 'incomplete', 'missing', 'atRisk', 'lost'] as const;
export type CoverageStatus = (typeof COVERAGE_STATUSES)[number];
export interface OverviewCoverageDay {
  readonly date: string;
  readonly status: CoverageStatus;
}

/** What the page draws; every string is shown as text. */
export interface OverviewModel {
  readonly title: string;
  readonly texts: OverviewTexts;
  /** `2026-11-01 – 2026-11-26 (UTC dates)`. */
  readonly range: string;
  /** Category labels, most entries first. */
  readonly categories: readonly string[];
  /** Oldest first, every day of the range (days without entries hold zeros). */
  readonly days: readonly OverviewDay[];
  readonly topOperators: readonly NameCount[];
  readonly topActions: readonly NameCount[];
  readonly topTargets: readonly NameCount[];
  /** The account's archive for each day of the range, oldest first; absent without an archive. */
  readonly coverage?: readonly OverviewCoverageDay[];
  readonly totals: {
    readonly entries: number;
    readonly findings: number;
    readonly high: number;
    readonly medium: number;
    readonly low: number;
    readonly operators: number;
  };
}

/** What a click filters the tree by. */
export const FILTER_FIELDS = ['date', 'operator', 'action', 'target', 'category'] as const;
export type OverviewFilterField = (typeof FILTER_FIELDS)[number];

/** Extension → page. */
export type ToPage = { readonly type: 'show'; readonly model: OverviewModel };

/** Page → extension. */
export type FromPage =
  | { readonly type: 'ready' }
  /** The page drew a model: its days and the time it took (ms), for tests and the benchmark. */
  | { readonly type: 'rendered'; readonly days: number; readonly ms: number }
  /** Filter the tree to a day, an operator, an action, a target or a category. */
  | { readonly type: 'filter'; readonly field: OverviewFilterField; readonly value: string };

export const MAX_NAME = 1000;
const MAX_ITEMS = 5000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validates a message from the page; a fresh object with the known fields, or undefined. Never throws. */
export function parseFromPage(msg: unknown): FromPage | undefined {
  try {
    const obj = plain(msg);
    if (!obj) return undefined;
    switch (str(obj, 'type')) {
      case 'ready':
        return { type: 'ready' };
      case 'rendered': {
        const days = num(obj, 'days');
        const ms = num(obj, 'ms');
        return days !== undefined && ms !== undefined ? { type: 'rendered', days, ms } : undefined;
      }
      case 'filter': {
        const field = str(obj, 'field');
        const value = str(obj, 'value');
        if (!field || !(FILTER_FIELDS as readonly string[]).includes(field) || value === undefined) return undefined;
        if (value.trim() === '' || (field === 'date' && !DATE.test(value))) return undefined;
        return { type: 'filter', field: field as OverviewFilterField, value };
      }
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** Validates a message from the extension (used by the page). Never throws. */
export function parseToPage(msg: unknown): ToPage | undefined {
  try {
    const obj = plain(msg);
    if (!obj || str(obj, 'type') !== 'show') return undefined;
    const model = parseModel(own(obj, 'model'));
    return model ? { type: 'show', model } : undefined;
  } catch {
    return undefined;
  }
}

function parseModel(value: unknown): OverviewModel | undefined {
  const m = plain(value);
  if (!m) return undefined;
  const title = str(m, 'title');
  const range = str(m, 'range');
  const categories = list(own(m, 'categories'), (v) => (typeof v === 'string' && v.length <= MAX_NAME ? v : undefined));
  if (title === undefined || range === undefined || !categories) return undefined;
  const rawTexts = plain(own(m, 'texts'));
  if (!rawTexts) return undefined;
  const texts: Record<string, string> = {};
  for (const key of OVERVIEW_TEXT_KEYS) {
    const text = str(rawTexts, key);
    if (text === undefined) return undefined;
    texts[key] = text;
  }
  const days = list(own(m, 'days'), (v) => {
    const d = plain(v);
    if (!d) return undefined;
    const date = str(d, 'date');
    const entries = num(d, 'entries');
    const findings = num(d, 'findings');
    const byCategory = list(own(d, 'byCategory'), (c) => (isCount(c) ? c : undefined));
    if (!date || !DATE.test(date) || entries === undefined || findings === undefined || !byCategory) return undefined;
    if (byCategory.length !== categories.length) return undefined;
    return { date, entries, findings, byCategory };
  });
  const top = (key: string) =>
    list(own(m, key), (v) => {
      const o = plain(v);
      const name = o && str(o, 'name');
      const count = o && num(o, 'count');
      return name !== undefined && count !== undefined ? { name, count } : undefined;
    });
  const topOperators = top('topOperators');
  const topActions = top('topActions');
  const topTargets = top('topTargets');
  const t = plain(own(m, 'totals'));
  if (!days || !topOperators || !topActions || !topTargets || !t) return undefined;
  const totals = {
    entries: num(t, 'entries'),
    findings: num(t, 'findings'),
    high: num(t, 'high'),
    medium: num(t, 'medium'),
    low: num(t, 'low'),
    operators: num(t, 'operators'),
  };
  if (Object.values(totals).some((v) => v === undefined)) return undefined;
  const rawCoverage = own(m, 'coverage');
  const coverage =
    rawCoverage === undefined
      ? undefined
      : list(rawCoverage, (v) => {
          const d = plain(v);
          const date = d && str(d, 'date');
          const status = d && str(d, 'status');
          return date && DATE.test(date) && COVERAGE_STATUSES.includes(status as CoverageStatus)
            ? { date, status: status as CoverageStatus }
            : undefined;
        });
  if (rawCoverage !== undefined && !coverage) return undefined;
  return {
    ...(coverage ? { coverage } : {}),
    title,
    texts: texts as OverviewTexts,
    range,
    categories,
    days,
    topOperators,
    topActions,
    topTargets,
    totals: totals as OverviewModel['totals'],
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

const list = <T>(value: unknown, item: (v: unknown) => T | undefined): T[] | undefined =>
  listOf(value, MAX_ITEMS, item);
const plain = plainObject;
const own = ownValue;
const str = (obj: object, key: string): string | undefined => ownString(obj, key, MAX_NAME);
const num = ownCount;
