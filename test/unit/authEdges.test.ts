/**
 * Server-to-Server OAuth (src/zoom/auth.ts): which credential each OAuth error names, the token's
 * refresh time, and the log lines of a token request that needed a retry. Token requests go to a
 * purpose-built loopback server.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  cleanToken,
  oauthError,
  ServerToServerTokenSource,
  StaticTokenSource,
  tokenProblem,
  MAX_TOKEN_LENGTH,
} from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { FakeClock, RecordingLogger } from './support/helpers';

interface TokenServer {
  origin: string;
  count: () => number;
  close(): Promise<void>;
}

/**
 * Answers POST /oauth/token with the next scripted [status, body] (the last one repeats); 'reset' closes the
 * connection without an answer.
 */
async function tokenServer(answers: ([number, unknown] | 'reset')[]): Promise<TokenServer> {
  let n = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const answer = answers[Math.min(n++, answers.length - 1)];
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      const [status, body] = answer;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => n,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const FIX =
  'Run "Zoom: Sign In with Server-to-Server OAuth" again with the values from your app\'s App Credentials page in the Zoom App Marketplace.';

describe('Auth edges', function () {
  this.timeout(10_000);
  let srv: TokenServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  function source(s: TokenServer, clock: FakeClock, logger = new RecordingLogger(), refreshMarginMs?: number) {
    return new ServerToServerTokenSource({
      accountId: 'acct-1',
      clientId: 'client-1',
      clientSecret: 'secret-1',
      oauthBaseUrl: s.origin,
      refreshMarginMs,
      retry: { maxAttempts: 3, backoffBaseMs: 100, backoffCapMs: 1000, random: () => 0.5, clock },
      logger,
      clock,
    });
  }

  it('oauthError names the credential to fix, by error field, then reason, then code', () => {
    const cases: [number, unknown, string][] = [
      [400, { code: 4717 }, 'Zoom says the app is deactivated (4717). Activate it on its Activation page'],
      [400, { reason: 'App is not activated' }, 'Zoom says the app is deactivated (400).'],
      [401, { error: 'invalid_client', code: 4702 }, `Zoom does not know this client ID (4702). ${FIX}`],
      [401, { error: 'invalid_client', code: 4704 }, 'Zoom refused the client ID and client secret pair'],
      [401, { error: 'invalid_client', code: 4706 }, 'Zoom says a credential is missing (4706)'],
      [
        401,
        { error: ' Invalid_Client ' },
        `Zoom refused the client ID or the client secret (401): one of them is wrong`,
      ],
      [400, { error: 'unsupported_grant_type' }, 'Zoom refused the grant type (400)'],
      [400, { reason: 'Invalid account_id' }, 'Zoom refused the account ID (400)'],
      [400, { error: 'invalid_request', reason: 'Bad Account' }, 'Zoom refused the account ID (400)'],
      [400, { error: 'invalid_request', reason: 'Missing client id' }, 'Zoom says a credential is missing (400)'],
      [400, { code: 4702 }, 'Zoom does not know this client ID (4702)'],
      [400, { code: 4704 }, 'Zoom refused the client ID and client secret pair'],
      [400, { code: 4705 }, 'Zoom refused the grant type (4705)'],
      [400, { message: 'Unsupported grant type' }, 'Zoom refused the grant type (400)'],
      [400, { code: 4706 }, 'Zoom says a credential is missing (4706)'],
      [400, { reason: 'Invalid client_id' }, 'Zoom does not know this client ID (400)'],
      [400, { reason: 'bad client id or secret' }, 'Zoom refused the client ID and client secret pair'],
      [
        400,
        { code: 4711, reason: 'bad client id' },
        'Zoom refused the Server-to-Server OAuth sign-in (HTTP 400: bad client id)',
      ],
      [400, { reason: 'wrong secret' }, 'Zoom refused the client ID and client secret pair'],
      [
        400,
        { code: 9, message: 'wrong secret' },
        'Zoom refused the Server-to-Server OAuth sign-in (HTTP 400: wrong secret)',
      ],
      [400, { reason: 'account locked' }, 'Zoom refused the account ID (400)'],
      [503, {}, 'The Zoom OAuth server failed (HTTP 503).'],
      [400, 'not an object', `Zoom refused the Server-to-Server OAuth sign-in (HTTP 400). ${FIX}`],
    ];
    for (const [status, body, start] of cases) {
      const e = oauthError(status, body);
      assert.ok(e.message.startsWith(start), `${status} ${JSON.stringify(body)}: ${e.message}`);
      assert.equal(e.kind, status >= 500 ? 'server' : 'oauth');
      assert.equal(e.status, status);
    }
    assert.equal(
      oauthError(401, { error: 'invalid_client', code: 4704 }).message,
      `Zoom refused the client ID and client secret pair: the client secret is wrong or was regenerated (4704). ${FIX}`,
    );
    assert.equal(
      oauthError(400, { error: 'unsupported_grant_type' }).message,
      'Zoom refused the grant type (400): the app is not a Server-to-Server OAuth app. Create one in the Zoom App Marketplace (Develop > Build App > Server-to-Server OAuth).',
    );
    assert.equal(
      oauthError(400, { code: 4706, message: 'm' }).message,
      `Zoom says a credential is missing (4706): the account ID, client ID or client secret was empty. ${FIX}`,
    );
    assert.equal(
      oauthError(400, { reason: 'account locked' }).message,
      `Zoom refused the account ID (400): it is not the account of this app. Copy the Account ID from the app's App Credentials page. ${FIX}`,
    );
    assert.equal(oauthError(400, { code: 4717 }).zoomMessage, undefined);
    assert.equal(oauthError(400, { code: 4717, message: 'disabled' }).zoomMessage, 'disabled');
  });

  it('a token request that failed once: log lines, the wait, one token for everyone', async () => {
    srv = await tokenServer([
      [500, { reason: 'oops' }],
      [200, { access_token: 'tok-1', expires_in: 3600 }],
    ]);
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 12));
    const logger = new RecordingLogger();
    const s = source(srv, clock, logger);
    const [a, b] = await Promise.all([s.get(), s.get()]);
    assert.equal(a.token, 'tok-1');
    assert.equal(b.token, 'tok-1');
    assert.equal(a.apiBaseUrl, undefined);
    assert.equal(srv.count(), 2);
    assert.deepEqual(
      logger.summaries.map((x) => [x.method, x.path, x.status, x.attempt, x.outcome]),
      [
        ['POST', '/oauth/token', 500, 1, 'retrying'],
        ['POST', '/oauth/token', 200, 2, 'ok'],
      ],
    );
    assert.deepEqual(logger.summaries[0].query, { grant_type: 'account_credentials', account_id: '***' });
    assert.deepEqual(logger.warnings, ['OAuth token request failed (server); retry 1 in 50 ms.']);
    assert.equal(s.invalidate('another-token'), true);
    assert.equal((await s.get()).token, 'tok-1', 'invalidating another token keeps the cached one');
    assert.equal(srv.count(), 2);
  });

  it('refreshes the margin before expiry, at most half the lifetime; odd expires_in means an hour', async () => {
    srv = await tokenServer([
      [200, { access_token: 'tok-1', expires_in: 100 }],
      [200, { access_token: 'tok-2', expires_in: 'soon' }],
      [200, { access_token: 'tok-3', expires_in: -5 }],
    ]);
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 12));
    const s = source(srv, clock);
    assert.equal((await s.get()).token, 'tok-1');
    clock.t += 49_999;
    assert.equal((await s.get()).token, 'tok-1', 'half of 100 s is the margin here');
    clock.t += 1;
    assert.equal((await s.get()).token, 'tok-2');
    clock.t += 3600_000 - 60_000 - 1;
    assert.equal((await s.get()).token, 'tok-2', 'an hour, refreshed 60 s before');
    clock.t += 1;
    assert.equal((await s.get()).token, 'tok-3');
    clock.t += 3600_000 - 60_000;
    assert.equal(srv.count(), 3);
    const custom = source(srv, new FakeClock(0), new RecordingLogger(), 10_000);
    assert.equal((await custom.get()).token, 'tok-3');
  });

  it('a reset connection and a 429 are retried; a 300 is no token; expires_in 0 means an hour', async () => {
    srv = await tokenServer([
      'reset',
      [429, { reason: 'Too many requests' }],
      [200, { access_token: 'tok-1', expires_in: 0 }],
    ]);
    const clock = new FakeClock(Date.UTC(2026, 10, 26, 12));
    const logger = new RecordingLogger();
    const s = source(srv, clock, logger);
    const t = await s.get();
    assert.equal(t.token, 'tok-1');
    assert.equal(srv.count(), 3);
    assert.deepEqual(
      logger.summaries.map((x) => [x.status, x.attempt, x.outcome]),
      [
        [0, 1, 'network'],
        [429, 2, 'retrying'],
        [200, 3, 'ok'],
      ],
    );
    assert.equal((t as { expiresAt?: number }).expiresAt, clock.t + 3600_000);
    clock.t += 3600_000 - 60_000 - 1;
    assert.equal((await s.get()).token, 'tok-1', 'reused until 60 s before the hour');
    assert.equal(srv.count(), 3);
    await srv.close();

    srv = await tokenServer([[300, { access_token: 'tok-300' }]]);
    const e = await source(srv, new FakeClock())
      .get()
      .then(
        () => assert.fail('a 300 answer gave a token'),
        (err: Error & { kind?: string }) => err,
      );
    assert.equal(e.kind, 'oauth');
    assert.equal(e.message, `Zoom refused the Server-to-Server OAuth sign-in (HTTP 300). ${FIX}`);
  });

  it('api_url is used only when it is https on zoom.us or zoomgov.com (or a subdomain); the rest is logged', async () => {
    const cases: [unknown, string | undefined][] = [
      ['https://api-us.zoom.us', 'https://api-us.zoom.us/v2'],
      ['https://zoom.us', 'https://zoom.us/v2'],
      ['https://API.ZoomGov.com', 'https://api.zoomgov.com/v2'],
      ['https://evilzoom.us', undefined],
      ['https://zoom.us.evil.example', undefined],
      ['http://api.zoom.us', undefined],
      ['https://u:p@api.zoom.us', undefined],
      ['not a url', undefined],
      [42, undefined],
      ['', undefined],
      [null, undefined],
    ];
    for (const [apiUrl, want] of cases) {
      srv = await tokenServer([[200, { access_token: 'tok', api_url: apiUrl }]]);
      const logger = new RecordingLogger();
      const t = await source(srv, new FakeClock(), logger).get();
      assert.equal(t.apiBaseUrl, want, String(apiUrl));
      const ignored = want === undefined && apiUrl !== '' && apiUrl !== null;
      assert.equal(logger.warnings.length, ignored ? 1 : 0, String(apiUrl));
      if (ignored) assert.match(logger.warnings[0], /^Ignored the api_url in Zoom's token response \(/);
      assert.ok(!logger.warnings.join('').includes('u:p@'), 'no credentials of a URL in the log');
      await srv.close();
      srv = undefined;
    }
  });

  it('an answer without an access token, and a static token', async () => {
    srv = await tokenServer([[200, { access_token: '' }]]);
    await assert.rejects(
      source(srv, new FakeClock()).get(),
      (e: Error & { kind?: string }) =>
        e.kind === 'badResponse' &&
        e.message === 'The Zoom OAuth server answered without an access token. Check the OAuth base URL setting.',
    );
    const st = new StaticTokenSource('abc');
    assert.deepEqual(await st.get(), { token: 'abc' });
    assert.equal(st.invalidate(), false);
    assert.equal(st.kind, 'token');
  });

  it('a token that cannot go into a header is named before any request: pasted in pieces, shortened, odd characters', async () => {
    assert.equal(tokenProblem('eyJhbGciOiJIUzUxMiJ9.eyJzdWIiOiJ4In0.sig-_~+/='), undefined);
    assert.equal(
      tokenProblem('eyJhbGciOi…'),
      'The access token holds "…": it was copied shortened. Copy the whole token and set it again.',
    );
    for (const t of ['abc def', 'abc\ndef', 'abc\r\nX-Injected: 1', 'abc\tdef', 'abc\u00a0def']) {
      assert.equal(tokenProblem(t), 'The access token holds a space or a line break. Paste it again as one piece.', t);
    }
    assert.equal(
      tokenProblem('abc\u0000def'),
      'The access token holds a character a token cannot have (U+0000). Copy the whole token and set it again.',
    );
    assert.match(tokenProblem('abcé')!, /\(U\+00E9\)/);
    assert.match(tokenProblem('abc😀')!, /\(U\+1F600\)/);
    assert.equal(cleanToken('  Bearer abc.def  '), 'abc.def');
    assert.equal(cleanToken('bearer\tabc'), 'abc');
    assert.equal(cleanToken('Bearerabc'), 'Bearerabc', 'only the word and its blank');
    assert.equal(cleanToken('Bearer \t  abc'), 'abc', 'all the blanks after it');
    assert.equal(cleanToken('xBearer abc'), 'xBearer abc', 'only at the start');

    // A static token: refused as `auth`, the client sends nothing.
    let requests = 0;
    const api = http.createServer((_req, res) => {
      requests++;
      res.end('{"operation_logs":[]}');
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    try {
      const client = new ZoomClient({
        apiBaseUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}/v2`,
        tokens: new StaticTokenSource('eyJhbGciOi…'),
      });
      await assert.rejects(
        client.fetchPage({ from: '2026-11-01', to: '2026-11-20', categoryType: 'all', pageSize: 300 }),
        (e: Error & { kind?: string }) =>
          e.kind === 'auth' &&
          e.message ===
            'The access token holds "…": it was copied shortened. Copy the whole token and set it again. Use "Zoom: Set Access Token".',
      );
      assert.equal(requests, 0);
      assert.equal(client.requests, 0);
    } finally {
      await new Promise<void>((r) => api.close(() => r()));
    }

    // An access token that is not a string: no token.
    srv = await tokenServer([[200, { access_token: 12345, expires_in: 3600 }]]);
    await assert.rejects(
      source(srv, new FakeClock()).get(),
      (e: Error & { kind?: string }) =>
        e.kind === 'badResponse' &&
        e.message === 'The Zoom OAuth server answered without an access token. Check the OAuth base URL setting.',
    );
    await srv.close();

    // A token longer than a request header can carry (Zoom answers HTTP 431): named before it is sent.
    assert.equal(tokenProblem('a'.repeat(MAX_TOKEN_LENGTH)), undefined, '8,192 characters are sent');
    assert.equal(
      tokenProblem('a'.repeat(20_000)),
      "The access token is 20,000 characters long; Zoom's are about a thousand, and a request cannot carry more than 8,192. Copy the token alone and set it again.",
    );
    assert.match(tokenProblem(`${'a'.repeat(20_000)} b`)!, /a space or a line break/, 'the character says more');

    // An OAuth server's token with a line break, or of a million characters: a bad answer, not a request that
    // fails later.
    for (const token of ['abc\r\nX-Injected: 1', 'a'.repeat(1_000_000)]) {
      srv = await tokenServer([[200, { access_token: token, expires_in: 3600 }]]);
      await assert.rejects(
        source(srv, new FakeClock()).get(),
        (e: Error & { kind?: string }) =>
          e.kind === 'badResponse' &&
          e.message ===
            'The Zoom OAuth server answered with an access token that cannot be sent in a request (it holds a blank or a character outside ASCII, or is over 8,192 characters long). Check the OAuth base URL setting.',
        `${token.length} characters`,
      );
      await srv.close();
    }
  });

  it('a caller that stops waiting does not cancel the shared request', async () => {
    srv = await tokenServer([[200, { access_token: 'tok-1' }]]);
    const s = source(srv, new FakeClock());
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(s.get(pre.signal), (e: Error & { kind?: string }) => e.kind === 'cancelled');
    const ac = new AbortController();
    const p = s.get(ac.signal);
    const other = s.get();
    ac.abort();
    await assert.rejects(p, (e: Error & { kind?: string }) => e.kind === 'cancelled' && e.message === 'Cancelled.');
    assert.equal((await other).token, 'tok-1');
    const ok = new AbortController();
    assert.equal((await s.get(ok.signal)).token, 'tok-1');
  });
});
