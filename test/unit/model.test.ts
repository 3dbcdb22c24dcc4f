/** CategoryLog, LogSession and DateKeyer (src/model) against the simulator. */
import assert from 'node:assert/strict';
import { startSimulator, type SimEntry, type Simulator } from '../simulator/index';
import type { ZoomClient } from '../../src/zoom/client';
import { CATEGORIES, type OperationLogEntry } from '../../src/zoom/types';
import { horizonStart, todayUtc } from '../../src/zoom/dates';
import { CategoryLog } from '../../src/model/categoryLog';
import { LogSession } from '../../src/model/session';
import { DateKeyer } from '../../src/model/timeZones';
import { assertSameMultiset, staticClient, entryJson, reportRequests, simJson, withTz } from './support/helpers';

function clientFor(sim: Simulator): () => Promise<ZoomClient> {
  const client = staticClient(sim);
  return () => Promise.resolve(client);
}

function sixMonths(sim: Simulator): { from: string; to: string } {
  const to = todayUtc(sim.clock.now());
  return { from: horizonStart(to), to };
}

function isNewestFirst(keys: readonly string[]): boolean {
  return keys.every((k, i) => i === 0 || keys[i - 1] > k);
}

describe('Model: CategoryLog and LogSession against the simulator', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  it('loadNextPage (tree expand) makes exactly one request; concurrent callers share it', async () => {
    sim = await startSimulator({ seed: 21, entries: 3000, rps: 0 });
    const log = new CategoryLog(
      'all',
      { ...sixMonths(sim), categoryType: 'all', pageSize: 100 },
      new DateKeyer('UTC'),
      clientFor(sim),
    );
    assert.equal(log.started, false);
    const [a, b] = await Promise.all([log.loadNextPage(), log.loadNextPage()]);
    assert.equal(a, 100);
    assert.equal(b, 100, 'the second caller got the same load');
    assert.equal(reportRequests(sim), 1);
    assert.equal(log.total, 100);
    assert.equal(log.pages, 1);
    await log.loadNextPage();
    assert.equal(reportRequests(sim), 2);
    assert.ok(isNewestFirst(log.dateKeys()), 'date keys newest first');
  });

  for (const order of ['newest-first', 'jittered'] as const) {
    it(`completeDate(oldest loaded date) loads until complete; the date equals sim.expected (UTC, order ${order})`, async () => {
      sim = await startSimulator({ seed: 22, entries: 3000, rps: 0, order });
      const log = new CategoryLog(
        'all',
        { ...sixMonths(sim), categoryType: 'all', pageSize: 40 },
        new DateKeyer('UTC'),
        clientFor(sim),
      );
      await log.loadNextPage();
      const keys = log.dateKeys();
      assert.ok(isNewestFirst(keys));
      const oldest = keys[keys.length - 1];
      // The first page ends inside the oldest date it reached, so that date still needs pages.
      assert.equal(log.isDateComplete(oldest), false, 'oldest date incomplete after one page');
      const before = reportRequests(sim);
      await log.completeDate(oldest);
      assert.ok(log.isDateComplete(oldest));
      assert.ok(reportRequests(sim) > before, `loaded more pages: ${before} -> ${reportRequests(sim)}`);
      assert.equal(log.done, false, 'stopped once the date was complete, not at the end of the results');
      assert.ok(log.feed.minTimeMs < Date.parse(`${oldest}T00:00:00Z`), 'an older entry arrived, so it is complete');
      const entries = log.entries(oldest);
      assertSameMultiset(entries, sim.expected({ from: oldest, to: oldest }), `date ${oldest}`);
      for (let i = 1; i < entries.length; i++) {
        assert.ok(entries[i - 1].timeMs >= entries[i].timeMs, 'entries newest first');
      }
    });

    it(`loadAll puts every entry in its UTC date once (order ${order})`, async () => {
      sim = await startSimulator({ seed: 23, entries: 2500, rps: 0, order });
      const log = new CategoryLog(
        'all',
        { ...sixMonths(sim), categoryType: 'all', pageSize: 77 },
        new DateKeyer('UTC'),
        clientFor(sim),
      );
      await log.loadAll();
      assert.equal(log.done, true);
      assertSameMultiset(log.allEntries(), sim.data);
      const keys = log.dateKeys();
      assert.ok(isNewestFirst(keys));
      for (const k of keys) {
        for (const e of log.entries(k)) assert.equal(e.time.slice(0, 10), k, `entry ${e.time} under ${k}`);
      }
      // Spot-check a few dates against the simulator directly.
      for (const k of [keys[0], keys[Math.floor(keys.length / 2)], keys[keys.length - 1]]) {
        assertSameMultiset(log.entries(k), sim.expected({ from: k, to: k }), k);
      }
    });
  }

  it('LogSession: one CategoryLog per selected category in the fixed order; each loads its category exactly', async () => {
    sim = await startSimulator({ seed: 24, entries: 2000, rps: 0 });
    const range = sixMonths(sim);
    const session = new LogSession(
      { ...range, categories: ['account', 'user'] },
      { pageSize: 300, timeZone: 'UTC', client: clientFor(sim) },
    );
    assert.deepEqual(
      [...session.logs.keys()],
      CATEGORIES.filter((c) => c === 'user' || c === 'account'),
    );
    for (const [cat, log] of session.logs) {
      await log.loadAll();
      assertSameMultiset(log.allEntries(), sim.expected({ ...range, category: cat }), cat);
    }
    session.setFilter('  UPDATE ');
    assert.equal(session.filter, 'UPDATE');
    const all = session.logs.get('user')?.allEntries() ?? [];
    const visible = session.visible(all);
    // Every matching entry is shown, in order, and nothing else: the same list as filtering by hand.
    const byHand = all.filter(
      (e) => /update/i.test(e.operator) || /update/i.test(e.action) || /update/i.test(e.operationDetail),
    );
    assert.ok(
      byHand.length > 0 && byHand.length < all.length,
      `a filter that keeps some: ${byHand.length} of ${all.length}`,
    );
    assert.deepEqual(visible, byHand);
    const renewed = session.renewed();
    assert.notEqual(renewed.id, session.id);
    assert.equal(renewed.filter, 'UPDATE');
    assert.equal(renewed.logs.get('user')?.started, false);
  });

  it('local time zone (TZ=America/New_York): completeDate groups by New York dates', async () => {
    sim = await startSimulator({ seed: 25, entries: 3000, rps: 0 });
    const s = sim;
    const range = sixMonths(sim);
    const old = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const keyer = new DateKeyer('local');
      assert.equal(keyer.offsetMinutes(Date.UTC(2026, 0, 15)), -300, 'TZ change took effect (EST)');
      const log = new CategoryLog('all', { ...range, categoryType: 'all', pageSize: 60 }, keyer, clientFor(s));
      await log.loadNextPage();
      const keys = log.dateKeys();
      const oldest = keys[keys.length - 1];
      await log.completeDate(oldest);
      // The expectation comes from Intl (the ICU time-zone database), not from DateKeyer.
      const nyDate = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'America/New_York',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      const want: SimEntry[] = s.data.filter((e) => nyDate.format(new Date(e.time)) === oldest);
      assert.ok(
        want.some((e) => e.time.slice(0, 10) !== oldest),
        'the New York date holds entries of another UTC date, so UTC grouping would fail',
      );
      assertSameMultiset(log.entries(oldest), want, `NY date ${oldest}`);
      // No duplicates: every entry loaded is there once (the simulator's entries are distinct).
      assert.equal(new Set(s.data.map(simJson)).size, s.data.length, 'simulator entries are distinct');
      assert.equal(log.allEntries().length, log.total);
      assert.equal(new Set(log.allEntries().map(entryJson)).size, log.total);
    } finally {
      if (old === undefined) delete process.env.TZ;
      else process.env.TZ = old;
    }
  });
});

describe('LogSession filter (hand-made entries)', () => {
  function mk(operator: string, action: string, operationDetail: string, categoryType = 'User'): OperationLogEntry {
    return {
      time: '2026-11-20T10:00:00Z',
      timeMs: 0,
      operator,
      categoryType,
      category: 'user',
      action,
      operationDetail,
    };
  }
  const alice = mk('Alice@example.com', 'Add', 'Added user bob@example.com');
  const update = mk('carol@example.com', 'Update', 'Changed the name');
  const detail = mk('dave@example.com', 'Delete', 'Deleted the UPDATED group');
  const category = mk('erin@example.com', 'Add', 'Added a setting', 'Update');
  const entries = [alice, update, detail, category];
  const session = new LogSession(
    { from: '2026-11-20', to: '2026-11-20', categories: ['user'] },
    { pageSize: 300, timeZone: 'UTC', client: () => Promise.reject(new Error('no requests here')) },
  );

  it('shows every entry whose operator, action or detail holds the text (any case), and only those', () => {
    session.setFilter('update');
    assert.deepEqual(session.visible(entries), [update, detail], 'action or detail; the category is not searched');
    session.setFilter('ALICE');
    assert.deepEqual(session.visible(entries), [alice], 'operator');
    session.setFilter('bob@');
    assert.deepEqual(session.visible(entries), [alice], 'detail');
    session.setFilter('Add');
    assert.deepEqual(session.visible(entries), [alice, category], 'action; added is in both details too');
    session.setFilter('nobody');
    assert.deepEqual(session.visible(entries), []);
    assert.equal(session.matches(update), false);
  });

  it('an empty or blank filter shows everything and matches everything', () => {
    for (const text of ['', '   ', '\t\n']) {
      session.setFilter(text);
      assert.equal(session.filter, '');
      assert.deepEqual(session.visible(entries), entries);
      assert.ok(entries.every((e) => session.matches(e)));
    }
    session.setFilter('  Changed the  ');
    assert.equal(session.filter, 'Changed the', 'trimmed at both ends, inner spaces kept');
    assert.deepEqual(session.visible(entries), [update]);
  });
});

describe('DateKeyer', () => {
  it('UTC: date keys, start of date, time, labels', () => {
    const k = new DateKeyer('UTC');
    assert.equal(k.dateKey(Date.UTC(2026, 10, 26, 23, 59, 59)), '2026-11-26');
    assert.equal(k.dateKey(Date.UTC(2026, 10, 27, 0, 0, 0)), '2026-11-27');
    assert.equal(k.dateKey(NaN), 'unknown');
    assert.equal(k.startOfDate('2026-11-26'), Date.UTC(2026, 10, 26));
    assert.equal(k.time(Date.UTC(2026, 10, 26, 14, 3, 27)), '14:03:27');
    assert.equal(DateKeyer.label('2026-11-20'), '2026-11-20 Fri');
  });

  it('America/New_York: offsets, date keys and DST-day starts', () => {
    withTz('America/New_York', () => {
      const k = new DateKeyer('local');
      assert.equal(k.offsetMinutes(Date.UTC(2026, 10, 26, 12)), -300, 'EST in November');
      assert.equal(k.offsetMinutes(Date.UTC(2026, 6, 1, 12)), -240, 'EDT in July');
      assert.equal(k.dateKey(Date.UTC(2026, 10, 26, 3, 0)), '2026-11-25', '03:00Z is the evening before in New York');
      assert.equal(k.dateKey(Date.UTC(2026, 10, 26, 5, 0)), '2026-11-26');
      assert.equal(k.startOfDate('2026-11-26'), Date.UTC(2026, 10, 26, 5));
      // 2026-03-08: clocks go forward at 02:00 local; midnight is still EST.
      assert.equal(k.startOfDate('2026-03-08'), Date.UTC(2026, 2, 8, 5));
      assert.equal(k.startOfDate('2026-03-09'), Date.UTC(2026, 2, 9, 4));
      // 2026-11-01: clocks go back at 02:00 local; midnight is still EDT.
      assert.equal(k.startOfDate('2026-11-01'), Date.UTC(2026, 10, 1, 4));
      assert.equal(k.startOfDate('2026-11-02'), Date.UTC(2026, 10, 2, 5));
      assert.equal(k.time(Date.UTC(2026, 10, 26, 14, 3, 27)), '09:03:27');
      // Every instant of a day maps to that day, one minute before its start to the day before.
      for (const key of ['2026-03-08', '2026-03-09', '2026-11-01', '2026-11-02']) {
        const s = k.startOfDate(key);
        assert.equal(k.dateKey(s), key);
        assert.notEqual(k.dateKey(s - 60_000), key);
      }
    });
  });
});

describe('Model: categories outside the eleven (Other categories)', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  /** Known and unknown categories mixed, three pages of 50 at least. */
  function mixedData(today: string): SimEntry[] {
    const cats = ['User', 'User Group', 'Account', 'Channels', 'User Settings', 'User Group', 'Recording'];
    return Array.from({ length: 180 }, (_, i) => ({
      time: `${today}T${String(Math.floor(i / 60) + 1).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
      operator: `admin${i % 4}@example.com`,
      category_type: cats[i % cats.length],
      action: i % 2 ? 'Update' : 'Add',
      operation_detail: `Edit Group G${i}  - Name: from A to B`,
    }));
  }

  it('only with every category selected; lazily fed by category_type=all; one log per display name', async () => {
    const now = Date.now();
    const today = todayUtc(now);
    sim = await startSimulator({ data: mixedData(today), rps: 0, now });
    const some = new LogSession(
      { from: today, to: today, categories: ['user'] },
      { pageSize: 50, timeZone: 'UTC', client: clientFor(sim) },
    );
    assert.equal(some.others, undefined, 'not shown for a subset of categories');
    const session = new LogSession(
      { from: today, to: today, categories: [...CATEGORIES] },
      { pageSize: 50, timeZone: 'UTC', client: clientFor(sim) },
    );
    const others = session.others;
    assert.ok(others);
    assert.equal(reportRequests(sim), 0, 'nothing is fetched until it is expanded');
    await others.loadNextPage();
    assert.equal(reportRequests(sim), 1, 'one page per expansion');
    assert.deepEqual(sim.requests[0].query.category_type, 'all');
    assert.ok(!others.done);
    await others.loadAll();
    assert.deepEqual(
      others.categories().map((c) => c.label),
      ['Channels', 'User Group'],
    );
    for (const c of others.categories()) {
      assertSameMultiset(
        c.allEntries(),
        sim.data.filter((e) => e.category_type === c.label),
        c.label,
      );
      assert.deepEqual(c.dateKeys(), [today]);
      assert.ok(c.done && c.isDateComplete(today));
    }
    assert.equal(others.total, sim.data.filter((e) => ['Channels', 'User Group'].includes(e.category_type)).length);
  });
});
