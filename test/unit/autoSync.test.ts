/**
 * Background sync (src/services/autoSync.ts) without VS Code, on a fake clock: the timer and the
 * setting, the onSynced hook, never two syncs at once, back-off after failures, and dispose.
 */
import assert from 'node:assert/strict';
import { ArchiveError, type SyncResult } from '../../src/archive';
import { AutoSync, MAX_BACKOFF_MS, type AutoSyncTimers } from '../../src/services/autoSync';
import { ZoomError } from '../../src/zoom/errors';

const MIN = 60_000;

/** Timers on a fake clock: advance() runs what falls due, in order, letting promises settle between. */
class FakeClock implements AutoSyncTimers {
  now = 0;
  private seq = 0;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.now + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** When the next timer fires, relative to now. */
  nextIn(): number | undefined {
    const ats = [...this.timers.values()].map((t) => t.at);
    return ats.length ? Math.min(...ats) - this.now : undefined;
  }

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (let guard = 0; guard < 1000; guard++) {
      let due: [number, { at: number; fn: () => void }] | undefined;
      for (const t of this.timers) if (t[1].at <= end && (!due || t[1].at < due[1].at)) due = t;
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

/** Lets pending promise callbacks run (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

function result(entriesFetched: number): SyncResult {
  return {
    from: '2026-11-14',
    to: '2026-11-15',
    requests: 1,
    entriesFetched,
    daysWritten: 2,
    daysChanged: entriesFetched ? 1 : 0,
    refusedDays: [],
    damagedDays: [],
    entriesWithoutDay: 0,
    entriesOutsideWindow: 0,
    added: [],
  };
}

/** The archive service as AutoSync sees it: each sync runs the next scripted step (default: 3 entries). */
class FakeService {
  syncing = false;
  /** Fake-clock times at which a sync started. */
  readonly startedAt: number[] = [];
  running = 0;
  maxRunning = 0;
  readonly steps: Array<() => Promise<SyncResult>> = [];

  constructor(private readonly clock: FakeClock) {}

  async sync(opts: { ask?: boolean } = {}): Promise<SyncResult> {
    assert.equal(opts.ask, false, 'a background sync never asks');
    this.startedAt.push(this.clock.now);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.syncing = true;
    try {
      const step = this.steps.shift();
      return step ? await step() : result(3);
    } finally {
      this.running--;
      this.syncing = this.running > 0;
    }
  }
}

class FakeSettings {
  current = { autoSync: 0 };
  private listeners: Array<(c: { changed: readonly string[] }) => void> = [];
  onDidChange(l: (c: { changed: readonly string[] }) => void): { dispose(): void } {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  }
  set(minutes: number): void {
    this.current = { autoSync: minutes };
    for (const l of this.listeners) l({ changed: ['autoSync'] });
  }
  get listenerCount(): number {
    return this.listeners.length;
  }
}

class FakeLog {
  readonly lines: string[] = [];
  info(m: string): void {
    this.lines.push(`info ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((a, b) => {
    resolve = a;
    reject = b;
  });
  return { promise, resolve, reject };
}

describe('AutoSync (background sync, fake clock)', () => {
  let clock: FakeClock;
  let service: FakeService;
  let settings: FakeSettings;
  let log: FakeLog;
  const made: AutoSync[] = [];
  const autoSync = (minutes: number): AutoSync => {
    settings.current = { autoSync: minutes };
    const a = new AutoSync(service, settings, log, clock);
    made.push(a);
    return a;
  };
  beforeEach(() => {
    clock = new FakeClock();
    service = new FakeService(clock);
    settings = new FakeSettings();
    log = new FakeLog();
  });
  afterEach(() => {
    for (const a of made.splice(0)) a.dispose();
  });

  it('off by default; the setting starts, changes and stops the timer; onSynced after syncs that fetched entries', async () => {
    const a = autoSync(0);
    assert.equal(clock.pending, 0);
    await clock.advance(120 * MIN);
    assert.deepEqual(service.startedAt, []);

    const synced: SyncResult[] = [];
    a.onSynced = (r) => void synced.push(r);
    settings.set(5);
    assert.equal(a.intervalMinutes, 5);
    assert.equal(clock.nextIn(), 5 * MIN);
    service.steps.push(
      () => Promise.resolve(result(3)),
      () => Promise.resolve(result(0)),
    );
    await clock.advance(16 * MIN);
    assert.deepEqual(service.startedAt, [125 * MIN, 130 * MIN, 135 * MIN], 'every 5 minutes from the change');
    assert.deepEqual(
      synced.map((r) => r.entriesFetched),
      [3, 3],
      'not after the sync that fetched nothing',
    );

    settings.set(30); // a new interval counts from the change
    assert.equal(clock.pending, 1);
    assert.equal(clock.nextIn(), 30 * MIN);
    settings.set(0);
    assert.equal(clock.pending, 0);
    await clock.advance(120 * MIN);
    assert.equal(service.startedAt.length, 3);
    assert.ok(log.lines.includes('info Archive: background sync every 5 minutes.'));
  });

  it('never two syncs at once: a long sync delays the next tick; a tick during any sync is skipped', async () => {
    const a = autoSync(5);
    const slow = deferred<SyncResult>();
    service.steps.push(() => slow.promise);
    await clock.advance(5 * MIN);
    assert.equal(service.running, 1);
    assert.equal(clock.pending, 0, 'no timer while the sync runs');
    await clock.advance(60 * MIN);
    assert.equal(service.startedAt.length, 1);
    assert.deepEqual(await a.tick(), { kind: 'skipped', reason: 'a sync is already running' });
    // The interval changes while the sync runs: one timer afterwards, not two.
    settings.set(10);
    assert.equal(clock.pending, 1);
    slow.resolve(result(1));
    await settle();
    assert.equal(clock.pending, 1, 'the old schedule does not arm a second timer');
    await clock.advance(10 * MIN);
    assert.equal(service.startedAt.length, 2);
    assert.equal(service.startedAt[1], 75 * MIN, '10 minutes after the change, not after the slow sync');

    // A manual sync running (service.syncing) makes the background tick skip, and the timer goes on.
    const manual = deferred<SyncResult>();
    service.steps.push(() => manual.promise);
    const running = service.sync({ ask: false });
    await clock.advance(10 * MIN);
    assert.equal(service.startedAt.length, 3, 'the tick did not start a sync');
    assert.ok(log.lines.some((l) => l.includes('background sync skipped: a sync is already running')));
    assert.equal(clock.pending, 1);
    manual.resolve(result(0));
    await running;
    await clock.advance(10 * MIN);
    assert.equal(service.startedAt.length, 4);
    assert.equal(service.maxRunning, 1);
  });

  it('backs off after failures (offline, rate-limited, other errors), and a sync that works restores the interval', async () => {
    const a = autoSync(5);
    const offline = (): Promise<SyncResult> => Promise.reject(new ZoomError('network', 'connect ECONNREFUSED'));
    const limited = (): Promise<SyncResult> => Promise.reject(new ZoomError('rateLimit', 'Too many requests.'));
    const denied = (): Promise<SyncResult> => Promise.reject(new ZoomError('auth', 'The access token was refused.'));
    service.steps.push(offline, limited, denied, () => Promise.resolve(result(2)), offline);
    await clock.advance(5 * MIN); // 1st: offline
    assert.equal(a.consecutiveFailures, 1);
    assert.equal(clock.nextIn(), 10 * MIN);
    await clock.advance(10 * MIN); // 2nd: rate-limited
    assert.equal(clock.nextIn(), 20 * MIN);
    await clock.advance(20 * MIN); // 3rd: auth
    assert.equal(clock.nextIn(), 40 * MIN);
    await clock.advance(40 * MIN); // 4th: works
    assert.equal(a.consecutiveFailures, 0);
    assert.equal(clock.nextIn(), 5 * MIN);
    await clock.advance(5 * MIN); // 5th: offline again
    assert.deepEqual(
      service.startedAt,
      [5, 15, 35, 75, 80].map((m) => m * MIN),
    );
    const warnings = log.lines.filter((l) => l.startsWith('warn'));
    assert.deepEqual(warnings.slice(0, 3), [
      'warn Archive: background sync paused: offline (Zoom could not be reached). It tries again in 10 minutes.',
      'warn Archive: background sync paused: rate-limited by Zoom (Too many requests.). It tries again in 20 minutes.',
      'warn Archive: background sync failed: The access token was refused. It tries again in 40 minutes.',
    ]);
    assert.ok(!log.lines.some((l) => /ECONNREFUSED.*token|Bearer/.test(l)));
  });

  it('the back-off is capped (at MAX_BACKOFF_MS, or the interval when longer); a held lock is a skip, a full disk a failure', async () => {
    const a = autoSync(60);
    for (let i = 0; i < 8; i++) service.steps.push(() => Promise.reject(new ZoomError('timeout', 'timed out')));
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      delays.push(clock.nextIn() ?? -1);
      await clock.advance(clock.nextIn() ?? 0);
    }
    assert.deepEqual(
      delays.map((d) => d / MIN),
      [60, 120, 240, 240, 240, 240],
    );
    assert.equal(MAX_BACKOFF_MS, 240 * MIN);
    a.dispose();

    const b = autoSync(24 * 60); // a day: never less than the interval
    service.steps.splice(0);
    service.steps.push(() => Promise.reject(new ZoomError('network', 'down')));
    await clock.advance(24 * 60 * MIN);
    assert.equal(clock.nextIn(), 24 * 60 * MIN);
    b.dispose();

    // Signed out, or another window holds the lock: skipped, no back-off.
    const c = autoSync(5);
    service.steps.push(() => Promise.reject(new ArchiveError('locked', 'Another window is syncing this archive.')));
    await clock.advance(5 * MIN);
    assert.equal(c.consecutiveFailures, 0);
    assert.equal(clock.nextIn(), 5 * MIN);
    assert.ok(log.lines.includes('info Archive: background sync skipped: Another window is syncing this archive.'));
    c.dispose();

    // A full disk is a failure: warned (the horizon does not wait), and backed off like the others.
    const d = autoSync(5);
    service.steps.push(() => Promise.reject(new ArchiveError('disk', 'The disk holding /a is full (ENOSPC).')));
    await clock.advance(5 * MIN);
    assert.equal(d.consecutiveFailures, 1);
    assert.equal(clock.nextIn(), 10 * MIN);
    assert.ok(
      log.lines.includes(
        'warn Archive: background sync failed: The disk holding /a is full (ENOSPC). It tries again in 10 minutes.',
      ),
      log.lines.join('\n'),
    );
  });

  it('onSynced is not awaited, and what it throws is logged without stopping the timer', async () => {
    const a = autoSync(5);
    let calls = 0;
    a.onSynced = () => {
      calls++;
      return calls === 1 ? new Promise<void>(() => undefined) : Promise.reject(new Error('notification failed'));
    };
    await clock.advance(5 * MIN); // onSynced never settles: the next tick still comes
    await clock.advance(5 * MIN);
    assert.equal(calls, 2);
    assert.ok(log.lines.includes('warn Archive: after the background sync: notification failed'));
    a.onSynced = () => {
      throw new Error('boom');
    };
    await clock.advance(5 * MIN);
    assert.ok(log.lines.includes('warn Archive: after the background sync: boom'));
    assert.equal(service.startedAt.length, 3);
    assert.equal(clock.nextIn(), 5 * MIN);
  });

  it('dispose stops the timer and the setting listener; a sync still running reports to nobody and arms nothing', async () => {
    const a = autoSync(5);
    const slow = deferred<SyncResult>();
    service.steps.push(() => slow.promise);
    let reported = 0;
    a.onSynced = () => void reported++;
    await clock.advance(5 * MIN);
    assert.equal(service.running, 1);
    a.dispose();
    assert.equal(settings.listenerCount, 0);
    slow.resolve(result(4));
    await settle();
    assert.equal(reported, 0);
    assert.equal(clock.pending, 0);
    settings.set(1);
    await clock.advance(60 * MIN);
    assert.equal(service.startedAt.length, 1);
    assert.equal((await a.tick()).kind, 'skipped');

    // Disposed while idle: the armed timer is cleared.
    const b = autoSync(5);
    assert.equal(clock.pending, 1);
    b.dispose();
    assert.equal(clock.pending, 0);
  });
});
