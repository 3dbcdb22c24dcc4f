/**
 * The rate limiter counts a request from the moment it leaves on a connected socket (Slot.sent), and the
 * HTTP layer tells it when that is: at once on a kept-alive socket, after the connect on a new one, never
 * when the connection fails. Servers are node:http on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { RateLimiter } from '../../src/zoom/rateLimiter';
import { FakeClock } from './support/helpers';
import { send, socketStats } from '../../src/zoom/http';

/** A clock that only moves when someone sleeps on it (or the test moves it). */
const fakeClock = (): FakeClock => new FakeClock(0);

describe('Rate limiter: a request starts when it leaves', () => {
  it('a slot whose request left late moves its start there, so the next slot waits from that moment', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock, 0);
    const a = await limiter.acquireSlot();
    assert.equal(a.waitedMs, 0);
    clock.t = 300; // a's request waited 300 ms for its connection (a TLS handshake, say)
    a.sent();
    const b = await limiter.acquireSlot();
    assert.equal(clock.now(), 1300, 'counted from when a left, not from its slot at 0');
    assert.equal(b.waitedMs, 1000);
  });

  it('only the slot that left late moves; the starts stay in order', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, clock, 0);
    const a = await limiter.acquireSlot();
    await limiter.acquireSlot(); // b, paced half a window after a
    assert.equal(clock.now(), 500);
    clock.t = 700;
    a.sent(); // a now starts at 700, after b
    await limiter.acquireSlot(); // the window is full until b's start (500) + 1000
    assert.equal(clock.now(), 1500);
  });

  it('from idle half the rate starts at once, then starts are paced window / rate apart', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(4, clock, 20);
    const starts: number[] = [];
    for (let i = 0; i < 9; i++) {
      await limiter.acquireSlot();
      starts.push(clock.now());
    }
    assert.deepEqual(starts, [0, 0, 255, 510, 1020, 1275, 1530, 1785, 2040]);
  });

  it('sent() counts once; a second call, or one after the slot left the window, changes nothing', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, clock, 0);
    const a = await limiter.acquireSlot();
    clock.t = 200;
    a.sent();
    clock.t = 900;
    a.sent();
    await limiter.acquireSlot();
    assert.equal(clock.now(), 1200);
    const b = await limiter.acquireSlot();
    assert.equal(clock.now(), 2200);
    clock.t = 5000; // b's start (2200) is out of the window by now
    await limiter.acquireSlot();
    b.sent();
    assert.equal(clock.now(), 5000);
    await limiter.acquireSlot();
    assert.equal(clock.now(), 6000, 'b did not come back into the window');
  });

  it('the base margin is the default window; a given one is clamped to [0, 500] ms', () => {
    assert.equal(new RateLimiter(5).windowMs, 1000 + RateLimiter.BASE_MARGIN_MS);
    assert.equal(new RateLimiter(5, undefined, 10).windowMs, 1010);
    assert.equal(new RateLimiter(5, undefined, -3).windowMs, 1000);
    assert.equal(new RateLimiter(5, undefined, 9000).windowMs, 1000 + RateLimiter.MAX_MARGIN_MS);
    assert.equal(new RateLimiter(5, undefined, NaN).windowMs, 1000 + RateLimiter.BASE_MARGIN_MS);
    const l = new RateLimiter(5, undefined, 480);
    assert.equal(l.slowDown(), 1500, 'a 429 still widens it, up to the maximum');
  });
});

describe('HTTP: onSent', function () {
  this.timeout(10_000);
  let server: http.Server | undefined;
  afterEach(async () => {
    const s = server;
    server = undefined;
    if (s) {
      await new Promise<void>((r) => {
        s.close(() => r());
        s.closeAllConnections();
      });
    }
  });

  async function listen(handler: http.RequestListener): Promise<URL> {
    server = http.createServer(handler);
    const s = server;
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return new URL(`http://127.0.0.1:${(s.address() as AddressInfo).port}/v2/report/operationlogs`);
  }

  it('is called once per request, before the answer, on a new connection and on a kept-alive one', async () => {
    const events: string[] = [];
    const url = await listen((_req, res) => {
      events.push('server');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
    const before = { ...socketStats };
    for (let i = 0; i < 2; i++) {
      const res = await send(url, {
        method: 'GET',
        headers: {},
        timeoutMs: 5000,
        onSent: () => events.push(`sent ${i}`),
      });
      assert.equal(res.status, 200);
      events.push(`answer ${i}`);
    }
    assert.deepEqual(events, ['sent 0', 'server', 'answer 0', 'sent 1', 'server', 'answer 1']);
    assert.equal(socketStats.requests - before.requests, 2);
    assert.equal(socketStats.connections - before.connections, 1, 'the second request reused the socket');
    assert.equal(socketStats.queued - before.queued, 0);
  });

  it('is not called when the connection fails (nothing reached the server)', async () => {
    // A port that was just free: connecting to it is refused.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    let sent = 0;
    await assert.rejects(
      send(new URL(`http://127.0.0.1:${port}/v2/report/operationlogs`), {
        method: 'GET',
        headers: {},
        timeoutMs: 5000,
        onSent: () => sent++,
      }),
      /Could not reach/,
    );
    assert.equal(sent, 0);
  });

  it('a request without onSent does not take the next one’s (the hand-off is cleared)', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200);
      res.end('{}');
    });
    let sent = 0;
    const ac = new AbortController();
    ac.abort();
    // Aborted before node-fetch creates a request: its onSent must not linger for the next request.
    await assert.rejects(
      send(url, { method: 'GET', headers: {}, timeoutMs: 5000, signal: ac.signal, onSent: () => sent++ }),
    );
    await send(url, { method: 'GET', headers: {}, timeoutMs: 5000 });
    assert.equal(sent, 0);
  });
});
