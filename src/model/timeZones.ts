import { l10n } from '../l10n';

/**
 * Date keys (`yyyy-mm-dd`) of instants in the chosen time zone, fast enough to
 * group hundreds of thousands of entries: the zone offset is looked up once per
 * 15-minute bucket (every real zone changes offset on such a boundary) and the
 * rest is arithmetic.
 */
export type TimeZoneSetting = 'local' | 'UTC';

const BUCKET_MS = 15 * 60_000;
const DAY_MS = 86_400_000;
export const UNKNOWN_DATE = 'unknown';

/** A weekday's short name, Sunday = 0, in the person's language. */
function weekday(day: number): string {
  const names = [
    l10n.t('Sun'),
    l10n.t('Mon'),
    l10n.t('Tue'),
    l10n.t('Wed'),
    l10n.t('Thu'),
    l10n.t('Fri'),
    l10n.t('Sat'),
  ];
  return names[day];
}

export class DateKeyer {
  private readonly offsets = new Map<number, number>();
  private readonly keys = new Map<number, string>();

  constructor(readonly zone: TimeZoneSetting) {}

  /** Minutes to add to UTC to get wall-clock time in this zone at `ms`. */
  offsetMinutes(ms: number): number {
    if (this.zone === 'UTC') return 0;
    const bucket = Math.floor(ms / BUCKET_MS);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = -new Date(bucket * BUCKET_MS).getTimezoneOffset();
      if (this.offsets.size > 50_000) this.offsets.clear();
      this.offsets.set(bucket, off);
    }
    return off;
  }

  /** The calendar date of an instant in this zone, or `unknown` for NaN. */
  dateKey(ms: number): string {
    if (!Number.isFinite(ms)) return UNKNOWN_DATE;
    const localDay = Math.floor((ms + this.offsetMinutes(ms) * 60_000) / DAY_MS);
    let key = this.keys.get(localDay);
    if (key === undefined) {
      key = new Date(localDay * DAY_MS).toISOString().slice(0, 10);
      if (this.keys.size > 50_000) this.keys.clear();
      this.keys.set(localDay, key);
    }
    return key;
  }

  /** The first instant of a date in this zone. */
  startOfDate(key: string): number {
    const utcMidnight = Date.parse(`${key}T00:00:00Z`);
    if (!Number.isFinite(utcMidnight)) return NaN;
    // Wall-clock midnight minus the offset in force then (checked twice around DST changes).
    let guess = utcMidnight - this.offsetMinutes(utcMidnight) * 60_000;
    guess = utcMidnight - this.offsetMinutes(guess) * 60_000;
    return guess;
  }

  /**
   * `2026-11-20 Fri`.
   * @userFacing
   */
  static label(key: string): string {
    if (key === UNKNOWN_DATE) return l10n.t('Unknown date');
    const d = new Date(`${key}T00:00:00Z`);
    return Number.isNaN(d.getTime()) ? key : `${key} ${weekday(d.getUTCDay())}`;
  }

  /** `14:03:27` in this zone. */
  time(ms: number): string {
    if (!Number.isFinite(ms)) return '--:--:--';
    return new Date(ms + this.offsetMinutes(ms) * 60_000).toISOString().slice(11, 19);
  }
}
