import * as http from 'node:http';
import * as https from 'node:https';
import type * as NodeFetch from 'node-fetch';
import type { Response } from 'node-fetch';
import { cancelled, stripUrls, ZoomError } from './errors';
import { l10n } from '../l10n';

/**
 * node-fetch (and the Node modules it pulls in) loads on the first request,
 * not at activation.
 */
let nodeFetch: Promise<typeof NodeFetch> | undefined;
const loadFetch = (): Promise<typeof NodeFetch> => (nodeFetch ??= import('node-fetch').then(fetchModule));

/**
 * The module as node-fetch's own: in the extension, `import('node-fetch')` loads dist/fetch.js, a CommonJS
 * bundle, whose namespace's `default` is that bundle's exports (node-fetch's module); elsewhere it is
 * node-fetch itself.
 */
export function fetchModule(m: typeof NodeFetch): typeof NodeFetch {
  const d = m.default as unknown;
  return typeof d === 'function' ? m : (d as typeof NodeFetch);
}

/**
 * Sockets per host. The splitter keeps at most MAX_CHAINS (24, split.ts) report requests in flight, one per
 * socket; a few more leave room for token requests and tree pages during an export, so a request the rate
 * limiter let go never waits for a socket (`socketStats.queued` counts the ones that did).
 */
export const MAX_SOCKETS = 32;

/** Counters over the life of the process (bench and tests read them). */
export const socketStats = {
  /** Requests handed to an agent. */
  requests: 0,
  /** Requests that found every socket to their host busy and waited in the agent's queue. */
  queued: 0,
  /** Requests that opened a new connection (TCP, and TLS for https). */
  connections: 0,
};

/** The request being created now wants to know when it leaves (set around node-fetch's synchronous part). */
let pendingOnSent: (() => void) | undefined;

type AddRequest = (req: http.ClientRequest, options: http.RequestOptions) => void;

/**
 * Kept-alive connections: no TCP set-up per page, steadier timing under the rate limit. Each agent also
 * tells a request's `onSent` when it is on a connected socket: at once on a kept-alive socket, after the
 * TCP connect (and TLS handshake) on a new one. It hooks the agent's `addRequest`, which Node's
 * ClientRequest calls synchronously from its constructor (as proxy agents such as agent-base do).
 */
function tracked<A extends http.Agent>(agent: A, secure: boolean): A {
  const hooked = agent as unknown as { addRequest: AddRequest };
  const add = hooked.addRequest.bind(agent);
  hooked.addRequest = (req, options) => {
    const onSent = pendingOnSent;
    pendingOnSent = undefined;
    socketStats.requests++;
    const name = agent.getName(options);
    const free = agent.freeSockets[name]?.length ?? 0;
    const busy = agent.sockets[name]?.length ?? 0;
    if (!free) {
      if (busy >= agent.maxSockets) socketStats.queued++;
      else socketStats.connections++;
    }
    add(req, options);
    if (!onSent) return;
    req.once('socket', (socket) => {
      if (!socket.connecting) return onSent();
      socket.once(secure ? 'secureConnect' : 'connect', onSent);
    });
  };
  return agent;
}

const agents = {
  http: tracked(new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }), false),
  https: tracked(new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }), true),
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
  /** A request body (the OAuth form). */
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called once when the request is on a connected socket (not when it never gets that far). */
  onSent?: () => void;
}

/**
 * The Content-Encoding values node-fetch decodes, and `identity` (none). Its Headers lowercase this header's value,
 * and Node's parser trims it.
 */
const READABLE = new Set(['gzip', 'x-gzip', 'deflate', 'x-deflate', 'br', 'identity']);

/** Statuses node-fetch would follow; Zoom's HTTP 300 (the report's horizon answer) is not one of them. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * One HTTP exchange with a timeout and cancellation covering the whole body.
 * Throws ZoomError `cancelled`, `timeout`, `network` (also an answer that broke off or would not decompress: the
 * message says which), `badResponse` (body too large, or not HTTP Node can parse) or `config` (a redirect: never followed, so a token never
 * leaves for another host; or a header value Node refuses to send).
 * Messages name the host only: never a path or query (page tokens, account IDs).
 */
export async function send(url: URL, opts: SendOptions): Promise<RawResponse> {
  if (opts.signal?.aborted) throw cancelled();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
  let FetchError: typeof NodeFetch.FetchError | undefined;
  /** The status line and headers arrived: a failure after this is in the body, not in reaching the host. */
  let answered = false;
  try {
    const lib = await loadFetch();
    FetchError = lib.FetchError;
    // node-fetch builds the request (and the agent takes pendingOnSent) synchronously inside this call.
    pendingOnSent = opts.onSent;
    let pending: Promise<Response>;
    try {
      pending = lib.default(url.href, {
        method: opts.method,
        headers: opts.headers,
        body: opts.body,
        signal,
        // A redirect comes back as the 3xx response itself (node-fetch follows nothing and throws no redirect error).
        redirect: 'manual',
        size: MAX_BODY_BYTES,
        compress: true,
        agent: (u) => (u.protocol === 'http:' ? agents.http : agents.https),
      });
    } finally {
      pendingOnSent = undefined;
    }
    const res = await pending;
    answered = true;
    if (REDIRECTS.has(res.status)) {
      res.body?.resume();
      throw redirectError(url, res.headers.get('location'), res.status);
    }
    const encoding = res.headers.get('content-encoding');
    const bodyless = res.status === 204 || res.status === 304;
    if (encoding !== null && !bodyless && !READABLE.has(encoding)) {
      // node-fetch decodes exactly these names and passes anything else through as bytes, which would then fail
      // as "not JSON": say what the bytes are instead.
      res.body?.resume();
      throw new ZoomError(
        'badResponse',
        l10n.t(
          "The answer from {0} is encoded as '{1}', which this extension cannot read (it asks for gzip, deflate or br).",
          url.host,
          encoding.length > 40 ? `${encoding.slice(0, 40)}…` : encoding,
        ),
        { status: res.status },
      );
    }
    const text = await res.text();
    return { status: res.status, headers: res.headers, text };
  } catch (e) {
    if (e instanceof ZoomError) throw e;
    if (opts.signal?.aborted) throw cancelled();
    if (timeout.signal.aborted) {
      throw new ZoomError(
        'timeout',
        l10n.t('No answer from {0} within {1} s.', url.host, Math.round(opts.timeoutMs / 1000)),
        {
          cause: safeCause(e),
        },
      );
    }
    if (FetchError && e instanceof FetchError && e.type === 'max-size') {
      throw new ZoomError(
        'badResponse',
        l10n.t(
          'The response from {0} was larger than {1} MB; it is not a Zoom report page.',
          url.host,
          MAX_BODY_BYTES / 1024 / 1024,
        ),
        { cause: safeCause(e) },
      );
    }
    const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
    if (code === 'ERR_INVALID_CHAR') {
      // Node refused a header value before anything was sent: asking again cannot help, and it is not the network.
      // (Header names are constants here, so ERR_INVALID_HTTP_TOKEN, a bad name, cannot occur.)
      throw new ZoomError(
        'config',
        l10n.t('A request header held a character HTTP cannot carry ({0}); nothing was sent to {1}.', code, url.host),
        { cause: safeCause(e) },
      );
    }
    if (typeof code === 'string' && code.startsWith('HPE_')) {
      // Node's HTTP parser refused what came back (not HTTP, headers over 16 KB, two Content-Lengths, ...): the
      // same server answers the same way again, so this is not retried, and it says where to look.
      const setting = url.pathname.includes('/oauth/')
        ? l10n.t('Check the OAuth base URL setting (leave it at its default for the real Zoom).')
        : l10n.t('Check the API base URL setting (leave it at its default for the real Zoom).');
      throw new ZoomError(
        'badResponse',
        l10n.t('What {0} sent back is not an HTTP answer this extension can read ({1}). {2}', url.host, code, setting),
        { cause: safeCause(e) },
      );
    }
    const detail = typeof code === 'string' && code ? code : stripUrls(e instanceof Error ? e.message : String(e));
    // Still `network` (asked again, like a reset before the answer), but said as it happened.
    const message = /^Z_/.test(detail)
      ? l10n.t('The answer from {0} could not be decompressed ({1}).', url.host, detail)
      : answered
        ? l10n.t('The answer from {0} broke off before it was complete ({1}).', url.host, detail)
        : l10n.t('Could not reach {0} ({1}).', url.host, detail);
    throw new ZoomError('network', message, { cause: safeCause(e) });
  } finally {
    clearTimeout(timer);
  }
}

function redirectError(url: URL, location: string | null, status: number): ZoomError {
  let to = l10n.t('no address given');
  if (location) {
    try {
      to = new URL(location, url).host || l10n.t('no address given');
    } catch {
      to = l10n.t('an address that is not a URL');
    }
  }
  const oauth = url.pathname.includes('/oauth/');
  const message = oauth
    ? l10n.t(
        'Zoom answered with a redirect to another address ({0}) (HTTP {1}); it was not followed, so no credential went there. Check the OAuth base URL setting (leave it at its default for the real Zoom).',
        to,
        status,
      )
    : l10n.t(
        'Zoom answered with a redirect to another address ({0}) (HTTP {1}); it was not followed, so no credential went there. Check the API base URL setting (leave it at its default for the real Zoom).',
        to,
        status,
      );
  return new ZoomError('config', message, { status });
}

/** The error node-fetch threw, without the request URL it carries in its message. */
function safeCause(e: unknown): Error {
  const message = stripUrls(e instanceof Error ? e.message : String(e));
  const safe = new Error(message);
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  if (typeof code === 'string') (safe as Error & { code?: string }).code = code;
  return safe;
}

/** Deeper JSON than any Zoom answer (a page is 3 levels deep) is refused before JSON.parse sees it. */
export const MAX_JSON_DEPTH = 64;
/**
 * More objects and lists than any Zoom answer holds (a full page: about 300) are refused before JSON.parse sees
 * them: 32 MB of `{},` are eleven million objects, which JSON.parse takes seconds and most of a gigabyte to build.
 */
export const MAX_JSON_CONTAINERS = 100_000;

/** What a body is, read without trusting it. */
export type JsonRead =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly why: 'empty' | 'truncated' | 'tooDeep' | 'tooMany' | 'malformed' };

/**
 * Reads a JSON body. A linear scan first counts the nesting of [ and { outside
 * strings: a body nested deeper than MAX_JSON_DEPTH (JSON.parse of 32 MB of `[[[[...`
 * takes gigabytes and seconds) or holding more than MAX_JSON_CONTAINERS objects and
 * lists (`{},{},...`: the same) is refused without parsing. A body that
 * does not parse is `truncated` when it looks like a prefix of JSON (it ends
 * inside a string or with brackets still open), else `malformed`.
 */
export function readJson(text: string): JsonRead {
  const open = new Uint8Array(MAX_JSON_DEPTH + 1);
  let depth = 0;
  let containers = 0;
  let inString = false;
  let escaped = false;
  let mismatched = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (start < 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) start = i;
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (depth >= MAX_JSON_DEPTH) return { ok: false, why: 'tooDeep' };
      if (++containers > MAX_JSON_CONTAINERS) return { ok: false, why: 'tooMany' };
      open[depth++] = c;
    } else if (c === 0x5d || c === 0x7d) {
      // ] closes [ (0x5b), } closes { (0x7b): the closer is its opener + 2.
      if (depth === 0 || open[depth - 1] !== c - 2) mismatched = true;
      else depth--;
    }
  }
  if (start < 0) return { ok: false, why: 'empty' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    const opener = text.charCodeAt(start);
    const prefix = (opener === 0x7b || opener === 0x5b) && !mismatched && (inString || depth > 0);
    return { ok: false, why: prefix ? 'truncated' : 'malformed' };
  }
}

/** Parses a JSON body, or undefined when it is not JSON (or is nested absurdly deep). */
export function parseJson(text: string): unknown {
  const r = readJson(text);
  return r.ok ? r.value : undefined;
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
    throw new ZoomError('config', l10n.t('{0} "{1}" is not a URL. Use the form https://api.zoom.us/v2.', label, value));
  }
  if (url.username || url.password) {
    throw new ZoomError('config', l10n.t('{0} must not contain a user name or password.', label));
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return url;
  throw new ZoomError(
    'config',
    l10n.t(
      '{0} must use https (http is allowed only for localhost/127.0.0.1); "{1}" was refused so no token is sent in the clear.',
      label,
      url.origin,
    ),
  );
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
