/**
 * LogSession (src/model/session.ts) over Zoom and the archive in memory: which days each source serves, who hears
 * the entries as they arrive, what "loaded so far" holds, and which refusal the tree reports.
 */
import assert from 'node:assert/strict';
import { OtherCategoriesLog } from '../../src/model/otherCategories';
import { LogSession, type SessionOptions } from '../../src/model/session';
import { DateKeyer } from '../../src/model/timeZones';
import { CATEGORIES, type KnownCategory, type OperationLogEntry } from '../../src/zoom/types';
import { archivedEntry, memoryArchive, memoryZoom } from './support/memorySources';

const QUERY = { from: '2026-11-18', to: '2026-11-22' };
const detail = (e: OperationLogEntry): string => `${e.time.slice(0, 10)} ${e.operationDetail}`;

function session(
  zoom: ReturnType<typeof memoryZoom>,
  extra: Partial<SessionOptions> = {},
  categories: readonly KnownCategory[] = CATEGORIES,
) {
  return new LogSession(
    { ...QUERY, categories },
    { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(zoom), ...extra },
  );
}

describe('LogSession (model, in memory)', () => {
  const page = [
    archivedEntry('2026-11-21', 'User', 1),
    archivedEntry('2026-11-21', 'Channels', 1),
    archivedEntry('2026-11-20', 'Account', 1),
  ];

  it('onEntries hears every batch, of the eleven categories and of the others, until unsubscribed', async () => {
    const zoom = memoryZoom([page]);
    const s = session(zoom);
    const heard: string[][] = [];
    const stop = s.onEntries((es) => heard.push(es.map(detail)));
    await s.logs.get('user')!.loadAll();
    await s.others!.loadAll();
    assert.deepEqual(heard, [['2026-11-21 User 1'], ['2026-11-21 Channels 1']]);
    assert.deepEqual(s.loadedEntries().map(detail), ['2026-11-21 User 1', '2026-11-21 Channels 1']);
    stop();
    await s.logs.get('account')!.loadAll();
    assert.equal(heard.length, 2, 'nothing heard after unsubscribing');
    assert.deepEqual(s.loadedEntries().map(detail).sort(), [
      '2026-11-20 Account 1',
      '2026-11-21 Channels 1',
      '2026-11-21 User 1',
    ]);
  });

  it('a few categories: no log of the others, and loadedEntries holds the chosen ones', async () => {
    const s = session(memoryZoom([page]), {}, ['account', 'user']);
    assert.equal(s.others, undefined);
    assert.deepEqual([...s.logs.keys()], ['user', 'account'], 'in the fixed order of the categories');
    for (const log of s.logs.values()) await log.loadAll();
    assert.deepEqual(s.loadedEntries().map(detail), ['2026-11-21 User 1', '2026-11-20 Account 1']);
  });

  it('with the archive holding 18-19 November complete, Zoom is asked from the 20th only', async () => {
    const zoom = memoryZoom([page]);
    const archive = memoryArchive({
      '2026-11-18': [archivedEntry('2026-11-18', 'User', 1)],
      '2026-11-19': [archivedEntry('2026-11-19', 'User', 2)],
    });
    const s = session(zoom, { archive, horizon: '2026-06-01' }, ['user']);
    assert.equal(s.source, 'both');
    assert.equal(s.zoomFrom, '2026-11-20');
    const log = s.logs.get('user')!;
    await log.loadAll();
    assert.deepEqual(
      zoom.requests.map((r) => `${r.from}..${r.to}`),
      ['2026-11-20..2026-11-22'],
    );
    assert.deepEqual(log.allEntries().map(detail), ['2026-11-21 User 1', '2026-11-19 User 2', '2026-11-18 User 1']);
  });

  it('an archive but no horizon: Zoom serves the whole range and the archive is not read', async () => {
    const zoom = memoryZoom([page]);
    const archive = memoryArchive({ '2026-11-18': [archivedEntry('2026-11-18', 'User', 1)] });
    const s = session(zoom, { archive }, ['user']);
    assert.equal(s.source, 'zoom');
    assert.equal(s.archive, undefined);
    await s.logs.get('user')!.loadAll();
    assert.deepEqual(
      zoom.requests.map((r) => r.from),
      ['2026-11-18'],
    );
    assert.deepEqual(archive.reads, []);
  });

  /** Every category; the archive holds 18-19 November complete, with entries of the eleven and of the others. */
  function mixedArchive() {
    const zoom = memoryZoom([page]);
    const archive = memoryArchive({
      '2026-11-18': [archivedEntry('2026-11-18', 'Channels', 2), archivedEntry('2026-11-18', 'User', 1)],
      '2026-11-19': [archivedEntry('2026-11-19', 'User Group', 1)],
    });
    return { zoom, archive, s: session(zoom, { archive, horizon: '2026-06-01' }) };
  }

  it('the other categories read the archived days first, then Zoom, and are done only when both are', async () => {
    const { zoom, archive, s } = mixedArchive();
    const others = s.others!;
    const heard: string[][] = [];
    s.onEntries((es) => heard.push(es.map(detail)));
    assert.equal(others.started, false);
    assert.equal(await others.loadNextPage(), 2, 'the archived entries outside the eleven');
    assert.equal(zoom.requests.length, 0, 'the archive first, without a request');
    assert.deepEqual([...archive.reads].sort(), ['2026-11-18', '2026-11-19']);
    assert.equal(others.started, false, "Zoom's part not asked yet");
    assert.equal(others.done, false);
    assert.equal(await others.loadNextPage(), 3, "then Zoom's page (every category: the feed's count)");
    assert.equal(others.started, true);
    assert.equal(others.done, true);
    assert.deepEqual(
      zoom.requests.map((r) => `${r.categoryType} ${r.from}`),
      ['all 2026-11-20'],
    );
    assert.deepEqual(
      others.categories().map((c) => `${c.label} ${c.total}`),
      ['Channels 2', 'User Group 1'],
    );
    // A day file is read once for every category: the User entry went to its own log, and was heard too.
    assert.deepEqual(heard.flat().sort(), [
      '2026-11-18 Channels 2',
      '2026-11-18 User 1',
      '2026-11-19 User Group 1',
      '2026-11-21 Channels 1',
    ]);
    assert.deepEqual(s.logs.get('user')!.allEntries().map(detail), ['2026-11-18 User 1']);
  });

  it("a date read for one category brings the other categories' entries of that day too: counted once", async () => {
    const { archive, s } = mixedArchive();
    await s.logs.get('user')!.completeDate('2026-11-18');
    assert.equal(s.others!.total, 1, 'the Channels entry of the 18th');
    assert.equal(await s.others!.loadNextPage(), 1, 'only the 19th is left to read');
    assert.deepEqual(archive.reads, ['2026-11-18', '2026-11-19']);
    assert.equal(s.others!.total, 2);
  });

  it('the other categories of a range the archive holds whole: done after the archive, no request', async () => {
    const zoom = memoryZoom([page]);
    const archive = memoryArchive({
      '2026-11-20': [archivedEntry('2026-11-20', 'Channels', 1)],
      '2026-11-21': [],
      '2026-11-22': [],
    });
    const s = new LogSession(
      { from: '2026-11-20', to: '2026-11-22', categories: CATEGORIES },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(zoom), archive, horizon: '2026-06-01' },
    );
    assert.equal(s.source, 'archive');
    await s.others!.loadAll();
    assert.equal(s.others!.done, true);
    assert.equal(s.others!.total, 1);
    assert.deepEqual(zoom.requests, []);
  });

  it('the other categories without a listener', async () => {
    const others = new OtherCategoriesLog({ ...QUERY, pageSize: 300 }, new DateKeyer('UTC'), () =>
      Promise.resolve(memoryZoom([page])),
    );
    await others.loadAll();
    assert.equal(others.total, 1);
  });

  it('refusedBefore: the latest first day any category was refused before', async () => {
    const zoom = memoryZoom([[]], { user: '2026-10-01', account: '2026-11-01' });
    const s = new LogSession(
      { from: '2026-09-10', to: '2026-11-22', categories: ['user', 'account', 'role'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(zoom) },
    );
    assert.equal(s.refusedBefore(), undefined, 'nothing asked yet');
    await s.logs.get('user')!.loadAll();
    assert.equal(s.refusedBefore(), '2026-10-01');
    await s.logs.get('account')!.loadAll();
    assert.equal(s.refusedBefore(), '2026-11-01');
    await s.logs.get('role')!.loadAll();
    assert.equal(s.refusedBefore(), '2026-11-01', 'a category Zoom answered in full changes nothing');
    // Nor does which category comes first.
    const other = memoryZoom([[]], { user: '2026-11-01', account: '2026-10-01' });
    const t = new LogSession(
      { from: '2026-09-10', to: '2026-11-22', categories: ['user', 'account'] },
      { pageSize: 300, timeZone: 'UTC', client: () => Promise.resolve(other) },
    );
    await t.logs.get('account')!.loadAll();
    await t.logs.get('user')!.loadAll();
    assert.equal(t.refusedBefore(), '2026-11-01');
  });
});
