import * as http from 'node:http';
import * as https from 'node:https';
import type * as NodeFetch from 'node-fetch';
import type { Response } from 'node-fetch';
import { cancelled, ZoomError } from './errors';

/**
 * node-fetch (and the Node modules it pulls in) loads on the first request,
 * not at activation.
 */
let nodeFetch: Promise<typeof NodeFetch> | undefined;
const loadFetch = (): Promise<typeof NodeFetch> => (nodeFetch ??= import('node-fetch'));

/** Kept-alive connections: no TCP set-up per page, steadier timing under the rate limit. */
const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/** Largest body we read; a page of 300 ordinary entries is well under 1 MB. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface RawResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
}

export interface SendOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One HTTP exchange with a timeout and cancellation covering the whole body.
 * Throws ZoomError `cancelled`, `timeout`, `network` or `badResponse` (body too large).
 */
export async function send(url: URL, opts: SendOptions): Promise<RawResponse> {
  if (opts.signal?.aborted) throw cancelled();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  let FetchError: typeof NodeFetch.FetchError | undefined;
  try {
    const lib = await loadFetch();
    FetchError = lib.FetchError;
    const res: Response = await lib.default(url.href, {
      method: opts.method,
      headers: opts.headers,
      signal,
      redirect: 'error',
      size: MAX_BODY_BYTES,
      compress: true,
      agent: (u) => (u.protocol === 'http:' ? agents.http : agents.https),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (e) {
    if (opts.signal?.aborted) throw cancelled();
    if (timeout.signal.aborted) {
      throw new ZoomError('timeout', `No answer from ${url.host} within ${Math.round(opts.timeoutMs / 1000)} s.`, {
        cause: e,
      });
    }
    if (FetchError && e instanceof FetchError && e.type === 'max-size') {
      throw new ZoomError(
        'badResponse',
        `The response from ${url.host} was larger than ${MAX_BODY_BYTES / 1024 / 1024} MB; it is not a Zoom report page.`,
        { cause: e },
      );
    }
    const detail = e instanceof Error ? ((e as { code?: string }).code ?? e.message) : String(e);
    throw new ZoomError('network', `Could not reach ${url.host} (${detail}).`, { cause: e });
  } finally {
    clearTimeout(timer);
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** `{code, message}` of a Zoom error body, when it has them. */
export function zoomErrorBody(body: unknown): { code?: number; message?: string } {
  if (!body || typeof body !== 'object') return {};
  const b = body as Record<string, unknown>;
  const code =
    typeof b.code === 'number'
      ? b.code
      : typeof b.code === 'string' && /^\d+$/.test(b.code)
        ? Number(b.code)
        : undefined;
  const raw = typeof b.message === 'string' ? b.message : typeof b.reason === 'string' ? b.reason : undefined;
  return { code, message: raw === undefined ? undefined : raw.slice(0, 300) };
}

/** True for http(s) URLs that may carry a token: https anywhere, http only on loopback. */
export function checkBaseUrl(value: string, label: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ZoomError('config', `${label} "${value}" is not a URL. Use the form https://api.zoom.us/v2.`);
  }
  if (url.username || url.password) throw new ZoomError('config', `${label} must not contain a user name or password.`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  throw new ZoomError(
    'config',
    `${label} must use https (http is allowed only for localhost/127.0.0.1); "${url.origin}" was refused so no token is sent in the clear.`,
  );
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
