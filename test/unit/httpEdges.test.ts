/**
 * One HTTP exchange (src/zoom/http.ts) against purpose-built loopback servers: the exact words
 * for a redirect, a timeout, a refused connection and a cancel, and how bodies are read.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { ZoomClient } from '../../src/zoom/client';
import { StaticTokenSource } from '../../src/zoom/auth';
import { checkBaseUrl, MAX_BODY_BYTES, MAX_JSON_CONTAINERS, readJson, send, zoomErrorBody } from '../../src/zoom/http';
import { ZoomError as ZoomErrorClass } from '../../src/zoom/errors';
import * as zlib from 'node:zlib';
import type { ZoomError } from '../../src/zoom/errors';

interface Srv {
  origin: string;
  close(): Promise<void>;
}

async function serve(handler: http.RequestListener): Promise<Srv> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

async function failure(p: Promise<unknown>): Promise<ZoomError> {
  try {
    await p;
  } catch (e) {
    return e as ZoomError;
  }
  assert.fail('expected a failure');
}

const get = (timeoutMs = 5000, signal?: AbortSignal) => ({
  method: 'GET' as const,
  headers: { Accept: 'application/json' },
  timeoutMs,
  signal,
});

describe('HTTP edges (loopback)', function () {
  this.timeout(10_000);
  let srv: Srv | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('redirects are never followed; the message names the host and the setting to check', async () => {
    const locations: Record<string, string | undefined> = {
      '/v2/a': 'https://login.example.net/x?token=1',
      '/v2/b': undefined,
      '/v2/c': 'http://[bad',
      '/oauth/token': '/elsewhere',
    };
    srv = await serve((req, res) => {
      const loc = locations[req.url ?? ''];
      res.writeHead(req.url === '/v2/b' ? 302 : 301, loc ? { Location: loc } : {});
      res.end();
    });
    const host = new URL(srv.origin).host;
    const a = await failure(send(new URL(`${srv.origin}/v2/a`), get()));
    assert.equal(a.kind, 'config');
    assert.equal(a.status, 301);
    assert.equal(
      a.message,
      'Zoom answered with a redirect to another address (login.example.net) (HTTP 301); it was not followed, so no credential went there. Check the API base URL setting (leave it at its default for the real Zoom).',
    );
    const b = await failure(send(new URL(`${srv.origin}/v2/b`), get()));
    assert.match(b.message, /^Zoom answered with a redirect to another address \(no address given\) \(HTTP 302\);/);
    const c = await failure(send(new URL(`${srv.origin}/v2/c`), get()));
    assert.match(c.message, /\(an address that is not a URL\) \(HTTP 301\)/);
    const o = await failure(send(new URL(`${srv.origin}/oauth/token`), get()));
    assert.match(
      o.message,
      new RegExp(`\\(${host.replace(/\./g, '\\.')}\\) \\(HTTP 301\\).*Check the OAuth base URL setting`),
    );
  });

  it('a timeout, a refused connection and a cancel each say what happened', async () => {
    srv = await serve(() => undefined); // never answers
    const url = new URL(`${srv.origin}/v2/slow`);
    const t = await failure(send(url, get(1600)));
    assert.equal(t.kind, 'timeout');
    assert.equal(t.message, `No answer from ${url.host} within 2 s.`);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const c = await failure(send(url, get(5000, ac.signal)));
    assert.equal(c.kind, 'cancelled');
    const pre = new AbortController();
    pre.abort();
    assert.equal((await failure(send(url, get(5000, pre.signal)))).kind, 'cancelled');
    await srv.close();
    const n = await failure(send(url, get()));
    assert.equal(n.kind, 'network');
    assert.equal(n.message, `Could not reach ${url.host} (ECONNREFUSED).`);
    assert.equal((n.cause as Error & { code?: string }).code, 'ECONNREFUSED');
  });

  it('returns status, headers and the whole body; a POST carries its body', async () => {
    srv = await serve((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, { 'X-Echo': req.method ?? '' });
        res.end(`${req.method}:${body}`);
      });
    });
    const r = await send(new URL(`${srv.origin}/x`), {
      method: 'POST',
      headers: {},
      body: 'a=1',
      timeoutMs: 5000,
    });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('x-echo'), 'POST');
    assert.equal(r.text, 'POST:a=1');
  });

  it('readJson: empty, cut off, malformed and too deep, told apart', () => {
    const why = (t: string): string => {
      const r = readJson(t);
      return r.ok ? `ok ${JSON.stringify(r.value)}` : r.why;
    };
    assert.equal(why(' \r\n\t'), 'empty');
    assert.equal(why('{"a":"b\\"'), 'truncated', 'inside a string after an escaped quote');
    assert.equal(why('{"a":"\\\\"'), 'truncated', 'an escaped backslash does not escape the quote');
    assert.equal(why('  [1,2'), 'truncated');
    assert.equal(why('{"a":[1}'), 'malformed', 'mismatched brackets are not a prefix');
    assert.equal(why('{"a":1]'), 'malformed');
    assert.equal(why(']'), 'malformed');
    assert.equal(why('{"a":1} x'), 'malformed', 'complete but followed by junk');
    assert.equal(why('"abc'), 'malformed', 'only objects and arrays can be cut off');
    assert.equal(why('tru'), 'malformed');
    assert.equal(why(' {"a":"[[[[","b":{}} '), 'ok {"a":"[[[[","b":{}}');
    assert.equal(why('['.repeat(64) + ']'.repeat(64)), `ok ${'['.repeat(64)}${']'.repeat(64)}`);
    assert.equal(why('['.repeat(65) + ']'.repeat(65)), 'tooDeep');
    assert.equal(why('{"a":' + '{"b":'.repeat(64) + '1' + '}'.repeat(65)), 'tooDeep');
    // A closer ends its own level: a hundred sibling objects are two levels deep, not a hundred.
    assert.equal(why(`[${'{},'.repeat(99)}{}]`), `ok ${JSON.stringify(Array.from({ length: 100 }, () => ({})))}`);
    // Brackets after an escaped quote are still inside the string: not nesting.
    const deep = '['.repeat(70);
    assert.equal(why(`{"a":"\\"${deep}"}`), `ok ${JSON.stringify({ a: `"${deep}` })}`);
    // The quote that closes an empty string is not escaped by anything before it.
    assert.equal(why(`["","${deep}"]`), `ok ${JSON.stringify(['', deep])}`);
    // After an escaped backslash the next quote does close the string: what follows nests.
    assert.equal(why(`["\\\\",${deep}`), 'tooDeep');
    // Objects and lists are counted outside strings: MAX_JSON_CONTAINERS of them parse, one more does not.
    const many = (n: number): string => `[${'{},'.repeat(n - 2)}{}]`;
    assert.equal(readJson(many(MAX_JSON_CONTAINERS)).ok, true);
    assert.equal(why(many(MAX_JSON_CONTAINERS + 1)), 'tooMany');
    assert.equal(readJson(`["${'{'.repeat(MAX_JSON_CONTAINERS + 1)}"]`).ok, true, 'braces inside a string');
  });

  it('a gzip-encoded answer is read as text (Zoom may compress); the request offers gzip', async () => {
    let offered = '';
    srv = await serve((req, res) => {
      offered = String(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(zlib.gzipSync('{"operation_logs":[]}'));
    });
    const r = await send(new URL(`${srv.origin}/v2/report/operationlogs`), get());
    assert.match(offered, /\bgzip\b/);
    assert.equal(r.text, '{"operation_logs":[]}');
  });

  it('gzip, deflate and br are read; an encoding node-fetch does not decode is named instead of "not JSON"', async () => {
    const body = '{"operation_logs":[]}';
    const cases: [string, Buffer, string | undefined][] = [
      ['br', zlib.brotliCompressSync(body), undefined],
      ['deflate', zlib.deflateSync(body), undefined],
      ['x-deflate', zlib.deflateSync(body), undefined],
      ['  Identity ', Buffer.from(body), undefined],
      ['x-gzip', zlib.gzipSync(body), undefined],
      ['identity', Buffer.from(body), undefined],
      ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1]), 'zstd'],
      ['gzip, gzip', zlib.gzipSync(zlib.gzipSync(body)), 'gzip, gzip'],
      ['GZIP', zlib.gzipSync(body), undefined],
      [`x-${'a'.repeat(60)}`, Buffer.from(body), `x-${'a'.repeat(38)}…`],
    ];
    for (const [encoding, bytes, named] of cases) {
      srv = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
        res.end(bytes);
      });
      const host = new URL(srv.origin).host;
      if (named === undefined) {
        assert.equal((await send(new URL(`${srv.origin}/v2/x`), get())).text, body, encoding);
      } else {
        const e = await failure(send(new URL(`${srv.origin}/v2/x`), get()));
        assert.equal(e.kind, 'badResponse', encoding);
        assert.equal(e.status, 200);
        assert.equal(
          e.message,
          `The answer from ${host} is encoded as '${named}', which this extension cannot read (it asks for gzip, deflate or br).`,
        );
      }
      await srv.close();
      srv = undefined;
    }
    // No body to read: the encoding does not matter.
    for (const status of [204, 304]) {
      srv = await serve((_req, res) => {
        res.writeHead(status, { 'Content-Encoding': 'zstd' });
        res.end();
      });
      const empty = await send(new URL(`${srv.origin}/v2/x`), get());
      assert.deepEqual([empty.status, empty.text], [status, '']);
      await srv.close();
      srv = undefined;
    }
  });

  it('a signal aborted before the call sends nothing', async () => {
    let requests = 0;
    srv = await serve((_req, res) => {
      requests++;
      res.end('{}');
    });
    const pre = new AbortController();
    pre.abort();
    let sent = false;
    const e = await failure(
      send(new URL(`${srv.origin}/v2/x`), { ...get(5000, pre.signal), onSent: () => (sent = true) }),
    );
    assert.equal(e.kind, 'cancelled');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(requests, 0);
    assert.equal(sent, false);
  });

  it('an answer that breaks off or cannot be decompressed says so (and stays a network failure, asked again)', async () => {
    const cases: [string, http.RequestListener, string][] = [
      [
        'closed inside a body of known length',
        (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
          res.write('{"operation_logs":[{"time":"2026');
          setTimeout(() => res.socket?.destroy(), 20);
        },
        'The answer from HOST broke off before it was complete (ECONNRESET).',
      ],
      [
        'closed inside a chunked body',
        (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.write('{"operation_logs":[{"time":"2026');
          setTimeout(() => res.socket?.destroy(), 20);
        },
        'The answer from HOST broke off before it was complete (ERR_STREAM_PREMATURE_CLOSE).',
      ],
      [
        'gzip that is not',
        (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
          res.end('not gzip at all');
        },
        'The answer from HOST could not be decompressed (Z_DATA_ERROR).',
      ],
      ['closed before any answer', (req) => req.socket.destroy(), 'Could not reach HOST (ECONNRESET).'],
    ];
    for (const [name, handler, message] of cases) {
      srv = await serve(handler);
      const e = await failure(send(new URL(`${srv.origin}/v2/x`), get()));
      assert.equal(e.kind, 'network', name);
      assert.equal(e.message, message.replace('HOST', new URL(srv.origin).host), name);
      await srv.close();
      srv = undefined;
    }
  });

  it('what is not HTTP (another service, headers over 16 KB, two lengths) names the setting, once, not "could not reach"', async () => {
    const cases: [string, string, string][] = [
      ['an SSH server', 'SSH-2.0-OpenSSH_9.2\r\n', 'HPE_INVALID_CONSTANT'],
      ['a bare JSON body (HTTP/0.9)', '{"operation_logs":[]}', 'HPE_INVALID_CONSTANT'],
      ['a status that is not a number', 'HTTP/1.1 abc OK\r\n\r\n', 'HPE_INVALID_STATUS'],
      [
        'headers over 16 KB',
        `HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(100_000)}\r\nContent-Length: 2\r\n\r\n{}`,
        'HPE_HEADER_OVERFLOW',
      ],
      [
        'two different Content-Lengths',
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}',
        'HPE_UNEXPECTED_CONTENT_LENGTH',
      ],
    ];
    for (const [name, bytes, code] of cases) {
      let connections = 0;
      const server = net.createServer((c) => {
        connections++;
        c.on('data', () => undefined);
        c.on('error', () => undefined);
        c.end(bytes);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      try {
        const host = new URL(origin).host;
        const e = await failure(send(new URL(`${origin}/v2/report/operationlogs`), get()));
        assert.equal(e.kind, 'badResponse', name);
        assert.equal(
          e.message,
          `What ${host} sent back is not an HTTP answer this extension can read (${code}). Check the API base URL setting (leave it at its default for the real Zoom).`,
          name,
        );
        const oauth = await failure(send(new URL(`${origin}/oauth/token`), get()));
        assert.match(oauth.message, /Check the OAuth base URL setting/, name);
        // Through the client: not asked again (the same server answers the same way).
        connections = 0;
        const client = new ZoomClient({
          apiBaseUrl: `${origin}/v2`,
          tokens: new StaticTokenSource('t'),
          backoffBaseMs: 1,
          timeoutMs: 5000,
        });
        const viaClient = await failure(
          client.fetchPage({ from: '2026-11-01', to: '2026-11-02', categoryType: 'all', pageSize: 300 }),
        );
        assert.equal(viaClient.kind, 'badResponse', name);
        assert.equal(connections, 1, `${name}: one request`);
      } finally {
        server.close();
      }
    }
  });

  it('a compressed answer that inflates past 32 MB is refused as too large (reading stops at 32 MB)', async () => {
    // 64 MB of blanks, about 64 KB compressed.
    const bomb = zlib.gzipSync(Buffer.alloc(2 * MAX_BODY_BYTES, 0x20), { level: 9 });
    assert.ok(bomb.length < 200_000, `${bomb.length} bytes`);
    srv = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      res.end(bomb);
    });
    const e = await failure(send(new URL(`${srv.origin}/v2/report/operationlogs`), get()));
    assert.equal(e.kind, 'badResponse');
    assert.equal(
      e.message,
      `The response from ${new URL(srv.origin).host} was larger than 32 MB; it is not a Zoom report page.`,
    );
  });

  it('a header HTTP cannot carry is refused before anything is sent, as a setting to fix, not a network failure', async () => {
    let requests = 0;
    srv = await serve((_req, res) => {
      requests++;
      res.end('{}');
    });
    const host = new URL(srv.origin).host;
    for (const value of ['Bearer abc\r\nX-Injected: 1', 'Bearer abc…']) {
      const e = await failure(send(new URL(`${srv.origin}/v2/x`), { ...get(), headers: { Authorization: value } }));
      assert.ok(e instanceof ZoomErrorClass);
      assert.equal(e.kind, 'config');
      assert.equal(
        e.message,
        `A request header held a character HTTP cannot carry (ERR_INVALID_CHAR); nothing was sent to ${host}.`,
      );
      assert.ok(!e.message.includes('abc'), 'the header value stays out of the message');
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(requests, 0);
  });

  it('checkBaseUrl: not a URL, a user name or a password alone, plain http off loopback: each refused with its words', () => {
    const refused = (value: string): string => {
      try {
        checkBaseUrl(value, 'API base URL');
      } catch (e) {
        assert.ok(e instanceof ZoomErrorClass);
        assert.equal(e.kind, 'config');
        return e.message;
      }
      return 'accepted';
    };
    assert.equal(
      refused('api.zoom.us/v2'),
      'API base URL "api.zoom.us/v2" is not a URL. Use the form https://api.zoom.us/v2.',
    );
    assert.equal(refused('https://jane@api.zoom.us/v2'), 'API base URL must not contain a user name or password.');
    const passwordOnly = refused('https://:s3cret@api.zoom.us/v2');
    assert.equal(passwordOnly, 'API base URL must not contain a user name or password.');
    assert.ok(!passwordOnly.includes('s3cret'));
    assert.equal(
      refused('http://api.zoom.us/v2'),
      'API base URL must use https (http is allowed only for localhost/127.0.0.1); "http://api.zoom.us" was refused so no token is sent in the clear.',
    );
    assert.equal(refused('http://[::1]:8080/v2'), 'accepted');
    assert.equal(refused('http://127.0.0.1:8080/v2'), 'accepted');
    assert.equal(refused('https://api.zoomgov.com/v2'), 'accepted');
  });

  it('zoomErrorBody: numeric or digit-string codes, message or reason, at most 300 characters', () => {
    assert.deepEqual(zoomErrorBody({ code: 124, message: 'm' }), { code: 124, message: 'm' });
    assert.deepEqual(zoomErrorBody({ code: '4711', reason: 'r' }), { code: 4711, message: 'r' });
    assert.deepEqual(zoomErrorBody({ code: '47a', message: 5, reason: 'r' }), { code: undefined, message: 'r' });
    assert.deepEqual(zoomErrorBody({ code: 'a47', message: 'm' }), { code: undefined, message: 'm' });
    assert.deepEqual(zoomErrorBody({ message: 'x'.repeat(400) }), { code: undefined, message: 'x'.repeat(300) });
    assert.deepEqual(zoomErrorBody('text'), {});
    assert.deepEqual(zoomErrorBody(null), {});
  });
});
