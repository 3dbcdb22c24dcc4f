/** Which days the archive holds, and which missing days Zoom is about to forget. Pure: `today` is passed in. */
import { addDays, horizonStart } from '../zoom/dates';
import type { Manifest } from './manifest';
import { l10n } from '../l10n';

export type DayStatus = 'complete' | 'incomplete' | 'missing';

export interface DayCoverage {
  day: string;
  status: DayStatus;
  /** Entries archived for the day (0 when missing). */
  entries: number;
  /**
   * Zoom still has the day, so a sync can fetch it: it is not older than the horizon and Zoom has
   * not already refused it (the manifest's `refusedThrough`). A missing day that is not
   * recoverable is lost, never "at risk".
   */
  recoverable: boolean;
}

export interface HorizonWarning {
  /** Days not completely archived that fall off Zoom's horizon within `withinDays`. */
  days: number;
  /** Days until the first of them falls off. */
  inDays: number;
  /** The oldest of them. */
  firstDay: string;
  message: string;
}

export interface Coverage {
  from: string;
  to: string;
  horizon: string;
  /** Newest first. */
  days: DayCoverage[];
  counts: Record<DayStatus, number>;
  /** Missing days that are not recoverable (older than the horizon, or refused by Zoom already). */
  lost: number;
  /** The newest day Zoom refused as past its horizon, when it refused any (from the manifest). */
  refusedThrough?: string;
  /** The oldest day Zoom still has: the horizon, or the day after `refusedThrough` when that is later. */
  zoomFrom: string;
  warning?: HorizonWarning;
}

/**
 * Per day from the oldest archived day (or the horizon, if older) to today: archived and
 * complete, archived but incomplete (today, or a day read while it was not over), or missing.
 * Days Zoom already refused as past its horizon (the manifest's `refusedThrough`, which can be
 * newer than the computed horizon: Zoom's exact horizon is uncertain) are not recoverable, so a
 * missing one is lost and is not counted in the warning. Warns when days that are not completely archived fall off Zoom's horizon within
 * `withinDays` (default 14): "N days become unrecoverable in D days: Sync now".
 */
export function coverage(
  archive: { readonly manifest: Readonly<Manifest> } | Readonly<Manifest>,
  today: string,
  horizon = horizonStart(today),
  opts: { withinDays?: number } = {},
): Coverage {
  const m = 'manifest' in archive ? archive.manifest : archive;
  const archived = Object.keys(m.days).sort();
  const from = archived.length && archived[0] < horizon ? archived[0] : horizon;
  const days: DayCoverage[] = [];
  const counts: Record<DayStatus, number> = { complete: 0, incomplete: 0, missing: 0 };
  const refusedThrough = m.refusedThrough;
  // Zoom answers from the later of the horizon and the day after the newest day it refused.
  const zoomFrom = refusedThrough && refusedThrough >= horizon ? addDays(refusedThrough, 1) : horizon;
  let lost = 0;
  for (let d = today; d >= from; d = addDays(d, -1)) {
    const r = m.days[d];
    const status: DayStatus = !r ? 'missing' : r.complete && d < today ? 'complete' : 'incomplete';
    const recoverable = d >= zoomFrom;
    counts[status]++;
    if (status === 'missing' && !recoverable) lost++;
    days.push({ day: d, status, entries: r ? r.entries : 0, recoverable });
  }

  const within = opts.withinDays ?? 14;
  // A day d is still on Zoom's horizon on date T when d >= horizonStart(T). The default
  // horizon follows `today`; a caller's own horizon is shifted by the same number of days.
  const shift = (k: number): string =>
    horizon === horizonStart(today) ? horizonStart(addDays(today, k)) : addDays(horizon, k);
  let count = 0;
  let soonest = Infinity;
  let firstDay = '';
  for (const c of days) {
    if (c.status === 'complete' || !c.recoverable || c.day === today) continue;
    for (let k = 1; k <= within; k++) {
      if (c.day < shift(k)) {
        count++;
        if (k < soonest || (k === soonest && c.day < firstDay)) {
          soonest = k;
          firstDay = c.day;
        }
        break;
      }
    }
  }
  const warning: HorizonWarning | undefined = count
    ? {
        days: count,
        inDays: soonest,
        firstDay,
        message:
          count === 1
            ? soonest === 1
              ? l10n.t('1 day becomes unrecoverable in 1 day: Sync now')
              : l10n.t('1 day becomes unrecoverable in {0} days: Sync now', soonest)
            : soonest === 1
              ? l10n.t('{0} days become unrecoverable in 1 day: Sync now', count)
              : l10n.t('{0} days become unrecoverable in {1} days: Sync now', count, soonest),
      }
    : undefined;
  return { from, to: today, horizon, days, counts, lost, refusedThrough, zoomFrom, warning };
}
