import { l10n } from '../l10n';
import { addDays, addMonths, checkDate, checkRange, endOfMonth, horizonStart, startOfMonth, todayUtc } from '../zoom';

export type RangePreset =
  'today' | 'yesterday' | 'last7Days' | 'last30Days' | 'thisMonth' | 'lastMonth' | 'last3Months' | 'last6Months';

/** The presets with their labels, in the person's language (made on each call: translation is set in activate()). */
export function rangePresets(): readonly { id: RangePreset; label: string }[] {
  return [
    { id: 'today', label: l10n.t('Today') },
    { id: 'yesterday', label: l10n.t('Yesterday') },
    { id: 'last7Days', label: l10n.t('Last 7 days') },
    { id: 'last30Days', label: l10n.t('Last 30 days') },
    { id: 'thisMonth', label: l10n.t('This month') },
    { id: 'lastMonth', label: l10n.t('Last month') },
    { id: 'last3Months', label: l10n.t('Last 3 months') },
    { id: 'last6Months', label: l10n.t('Last 6 months') },
  ];
}

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

/** A preset as Zoom dates (UTC days), never past the six-month horizon. */
export function presetRange(preset: RangePreset, nowMs: number): DateRange {
  const today = todayUtc(nowMs);
  const earliest = horizonStart(today);
  const clamp = (from: string, to: string): DateRange => ({ from: from < earliest ? earliest : from, to });
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const y = addDays(today, -1);
      return { from: y, to: y };
    }
    case 'last7Days':
      return clamp(addDays(today, -6), today);
    case 'last30Days':
      return clamp(addDays(today, -29), today);
    case 'thisMonth':
      return { from: startOfMonth(today), to: today };
    case 'lastMonth': {
      const d = addMonths(startOfMonth(today), -1);
      return clamp(d, endOfMonth(d));
    }
    case 'last3Months':
      return clamp(addMonths(today, -3), today);
    case 'last6Months':
      return { from: earliest, to: today };
  }
}

export function isRangePreset(value: unknown): value is RangePreset {
  return rangePresets().some((p) => p.id === value);
}

/** `2026-11-20 – 2026-11-26`, or one date. */
export function describeRange(r: DateRange): string {
  return r.from === r.to ? r.from : `${r.from} – ${r.to}`;
}

/**
 * checkRange, but a range older than Zoom's six-month horizon is allowed when the local
 * archive holds days from `archivedFrom` on and the range starts no earlier.
 */
export function checkRangeWithArchive(
  from: string,
  to: string,
  today: string,
  archivedFrom: string | undefined,
): string | undefined {
  const plain = checkRange(from, to, today);
  if (!plain || !archivedFrom) return plain;
  const f = from.trim();
  const t = to.trim();
  // The same checks without the horizon: format, real dates, not in the future, in order.
  // (checkDate's horizon is measured from its `today`: passing the date itself, capped at today, skips it.)
  const date = (v: string, label: 'start' | 'end'): string | undefined => checkDate(v, v > today ? today : v, label);
  const start = date(f, 'start');
  if (start) return l10n.t('Start date: {0}', start);
  const end = date(t, 'end');
  if (end) return l10n.t('End date: {0}', end);
  if (f > t) return l10n.t('The start date {0} is after the end date {1}; swap them.', f, t);
  if (f < archivedFrom) return l10n.t('{0} The archive holds days from {1} on.', plain, archivedFrom);
  return undefined;
}
