/** src/export/collect.ts against the simulator: which requests an export makes and that it is exact. */
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../simulator/index';
import { StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';
import { horizonStart, todayUtc } from '../../src/zoom/dates';
import { CATEGORIES, type OperationLogEntry } from '../../src/zoom/types';
import { categoryKey } from '../../src/zoom/categories';
import { LogSession } from '../../src/model/session';
import { collectCategory, collectDate, collectOthers, collectQuery } from '../../src/export/collect';
import { toJson } from '../../src/export/formats';
import { assertSameMultiset, REPORT_PATH } from './support/helpers';

describe('Export: collectQuery / collectCategory / collectDate', () => {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  function setup(
    s: Simulator,
    categories: LogSession['query']['categories'],
  ): { session: LogSession; client: ZoomClient } {
    const client = new ZoomClient({
      apiBaseUrl: s.apiBaseUrl,
      tokens: new StaticTokenSource(s.token),
      requestsPerSecond: 1000,
      backoffBaseMs: 2,
      maxAttempts: 5,
    });
    const to = todayUtc(s.clock.now());
    const session = new LogSession(
      { from: horizonStart(to), to, categories },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(client) },
    );
    return { session, client };
  }

  it('every category selected, none loaded: one category_type=all query, exact (incl. unknown display categories)', async () => {
    sim = await startSimulator({ seed: 41, entries: 3000, rps: 0 });
    const { session, client } = setup(sim, [...CATEGORIES]);
    const got = await collectQuery(session, client);
    assertSameMultiset(got, sim.data);
    const cats = new Set(sim.requests.filter((r) => r.path === REPORT_PATH).map((r) => r.query.category_type));
    assert.deepEqual([...cats], ['all']);
    const parsed = JSON.parse(toJson(got)) as unknown[];
    assert.equal(parsed.length, got.length);
  });

  it('a category already loaded in the tree is reused, not fetched again', async () => {
    sim = await startSimulator({ seed: 42, entries: 2000, rps: 0 });
    const { session, client } = setup(sim, ['user', 'account']);
    const user = session.logs.get('user');
    assert.ok(user);
    await user.loadAll();
    sim.resetLog();
    const { from, to } = session.query;
    const told: OperationLogEntry[][] = [];
    const got = await collectQuery(session, client, { onEntries: (es) => told.push([...es]) });
    assertSameMultiset(got, [
      ...sim.expected({ from, to, category: 'user' }),
      ...sim.expected({ from, to, category: 'account' }),
    ]);
    const cats = new Set(sim.requests.filter((r) => r.path === REPORT_PATH).map((r) => r.query.category_type));
    assert.deepEqual([...cats], ['account']);
    // onEntries: the reused user entries first (one batch), then the account pages; every entry once.
    assert.deepEqual(new Set(told[0]), new Set(user.allEntries()));
    assert.ok(told.slice(1).every((b) => b.length > 0 && b.every((e) => e.category === 'account')));
    const all = told.flat();
    assert.equal(all.length, got.length);
    assert.deepEqual(new Set(all), new Set(got));
  });

  it('collectCategory and collectDate continue the tree paging and are exact', async () => {
    sim = await startSimulator({ seed: 43, entries: 2000, rps: 0 });
    const { session } = setup(sim, ['user']);
    const log = session.logs.get('user');
    assert.ok(log);
    await log.loadNextPage();
    const key = log.dateKeys()[log.dateKeys().length - 1];
    const day = await collectDate(log, key);
    assertSameMultiset(day, sim.expected({ from: key, to: key, category: 'user' }));
    const all = await collectCategory(log);
    const { from, to } = session.query;
    assertSameMultiset(all, sim.expected({ from, to, category: 'user' }));
  });

  it('every category selected, some already loaded: the export still holds the categories outside the eleven', async () => {
    sim = await startSimulator({ seed: 44, entries: 3000, rps: 0 });
    const { session, client } = setup(sim, [...CATEGORIES]);
    const user = session.logs.get('user');
    assert.ok(user);
    await user.loadAll();
    const got = await collectQuery(session, client);
    const outside = sim.data.filter((e) => !(CATEGORIES as readonly string[]).includes(categoryKey(e.category_type)));
    assert.ok(outside.length > 0, 'the generated data has categories outside the enum');
    assertSameMultiset(got, sim.data);
  });

  it("the all-categories export's counts per display name equal the Other categories node's", async () => {
    sim = await startSimulator({ seed: 45, entries: 3000, rps: 0 });
    const { session, client } = setup(sim, [...CATEGORIES]);
    const others = session.others;
    assert.ok(others);
    const exported = await collectQuery(session, client);
    const mine = await collectOthers(others);
    const byName = new Map<string, number>();
    for (const e of exported) {
      if (!(CATEGORIES as readonly string[]).includes(categoryKey(e.categoryType))) {
        byName.set(e.categoryType, (byName.get(e.categoryType) ?? 0) + 1);
      }
    }
    const tree = new Map(others.categories().map((c) => [c.label, c.total]));
    assert.ok(tree.size > 0);
    assert.deepEqual(new Map([...byName].sort()), new Map([...tree].sort()));
    assert.equal(mine.length, others.total);
    // Once the tree has it all, an export reuses it: no request.
    sim.resetLog();
    for (const l of session.logs.values()) await l.loadAll();
    sim.resetLog();
    const again = await collectQuery(session, client);
    assert.equal(sim.count({ path: REPORT_PATH }), 0, 'everything reused');
    assertSameMultiset(again, sim.data);
  });
});
