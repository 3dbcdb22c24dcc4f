import { CATEGORIES, type KnownCategory } from './types';
import { l10n } from '../l10n';

/** Zoom's display strings for the query enum, as the web portal shows them. */
export const CATEGORY_LABELS: Readonly<Record<KnownCategory, string>> = {
  user: 'User',
  user_settings: 'User Settings',
  account: 'Account',
  billing: 'Billing',
  im: 'IM',
  recording: 'Recording',
  phone_contacts: 'Phone Contacts',
  webinar: 'Webinar',
  sub_account: 'Sub Account',
  role: 'Role',
  zoom_rooms: 'Zoom Rooms',
};

const OTHER_PREFIX = 'other:';
const known = new Set<string>(CATEGORIES);
const cache = new Map<string, string>();

export function isKnownCategory(value: string): value is KnownCategory {
  return known.has(value);
}

/**
 * Maps an entry's display string (`User Settings`, `zoom rooms`, `IM`) to its
 * query enum value, case- and separator-insensitively. A string we do not know
 * stays a group of its own (`other:meeting settings`) so no entry is dropped.
 */
export function categoryKey(display: string | undefined): string {
  const raw = display ?? '';
  const hit = cache.get(raw);
  if (hit !== undefined) return hit;
  const normalized = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const key = isKnownCategory(normalized) ? normalized : `${OTHER_PREFIX}${raw.trim().toLowerCase()}`;
  if (cache.size < 1000) cache.set(raw, key);
  return key;
}

/**
 * A label for a grouping key: the portal's label, or the display string as sent. The portal's labels are Zoom's
 * own names for its categories (English, like the `category_type` of every entry Zoom sends), so they stay as they are.
 */
export function categoryLabel(key: string, displayHint?: string): string {
  if (isKnownCategory(key)) return CATEGORY_LABELS[key];
  if (displayHint && displayHint.trim()) return displayHint.trim();
  const rest = key.startsWith(OTHER_PREFIX) ? key.slice(OTHER_PREFIX.length) : key;
  return rest || l10n.t('(no category)');
}
