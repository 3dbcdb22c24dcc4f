/**
 * What the Zoom layer tells its host. It receives request summaries built by
 * the client from the URL path and a redacted query: never headers, tokens or
 * secrets.
 */
export interface RequestSummary {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** HTTP status, or 0 when no response arrived (reset, timeout). */
  readonly status: number;
  readonly ms: number;
  /** 1 for the first try of a request. */
  readonly attempt: number;
  /** What happens next: `ok`, `retry in 1200 ms`, or the error kind. */
  readonly outcome: string;
}

export interface ZoomLogger {
  request(summary: RequestSummary): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentLogger: ZoomLogger = {
  request: () => undefined,
  info: () => undefined,
  warn: () => undefined,
};

const REDACTED_PARAMS = new Set(['account_id', 'access_token', 'client_secret', 'client_id']);

/** The query as logged: credentials replaced, page tokens shortened. */
export function redactQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  params.forEach((value, key) => {
    if (REDACTED_PARAMS.has(key)) out[key] = '***';
    else if (key === 'next_page_token') out[key] = value.length > 8 ? `${value.slice(0, 6)}…` : value;
    else out[key] = value;
  });
  return out;
}

export function formatSummary(s: RequestSummary): string {
  const q = Object.entries(s.query)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return `${s.method} ${s.path}${q ? `?${q}` : ''} → ${s.status || 'no response'} in ${s.ms} ms (attempt ${s.attempt}) ${s.outcome}`;
}
