/** Query enum accepted by `category_type` (besides `all`). */
export const CATEGORIES = [
  'user',
  'user_settings',
  'account',
  'billing',
  'im',
  'recording',
  'phone_contacts',
  'webinar',
  'sub_account',
  'role',
  'zoom_rooms',
] as const;

export type KnownCategory = (typeof CATEGORIES)[number];
export type CategoryQuery = KnownCategory | 'all';

/** One operation-log entry as Zoom returns it: every field optional. */
export interface RawOperationLog {
  time?: string;
  operator?: string;
  category_type?: string;
  action?: string;
  operation_detail?: string;
}

/** An entry after validation: the fields we rely on are present and typed. */
export interface OperationLogEntry {
  /** ISO-8601 UTC as Zoom sent it. */
  readonly time: string;
  /** Milliseconds since the epoch, parsed once from `time`. */
  readonly timeMs: number;
  readonly operator: string;
  /** Display string as sent (`User Settings`). */
  readonly categoryType: string;
  /** Grouping key: a known category, or `other:<lowercased display string>`. */
  readonly category: string;
  readonly action: string;
  readonly operationDetail: string;
}

/** The response body of `GET /report/operationlogs`. */
export interface OperationLogsPage {
  from?: string;
  to?: string;
  page_size?: number;
  next_page_token?: string;
  operation_logs?: RawOperationLog[];
}

/** A request for one page of one date window. */
export interface PageRequest {
  from: string; // yyyy-mm-dd
  to: string; // yyyy-mm-dd
  categoryType: CategoryQuery;
  pageSize: number;
  nextPageToken?: string;
}

export interface Page {
  readonly entries: OperationLogEntry[];
  readonly nextPageToken: string;
  /** Zoom's X-RateLimit-* headers on this answer, when it sent any. */
  readonly rateLimit?: RateLimitHeaders;
}

/** `X-RateLimit-Category`, `-Type`, `-Limit`, `-Remaining` as Zoom sent them (all optional, often absent). */
export interface RateLimitHeaders {
  readonly category?: string;
  readonly type?: string;
  readonly limit?: number;
  readonly remaining?: number;
}

/** What a query asks for: an inclusive date range in UTC calendar dates. */
export interface LogQuery {
  from: string;
  to: string;
  categories: CategoryQuery[];
}
