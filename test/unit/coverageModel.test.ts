/** The Archive view's items (src/views/coverageModel.ts) and archived ranges in the range check (src/model/ranges.ts). */
import assert from 'node:assert/strict';
import { coverage, type Manifest } from '../../src/archive';
import { checkRangeWithArchive } from '../../src/model/ranges';
import { coverageItems, dayState } from '../../src/views/coverageModel';
import { addDays, horizonStart } from '../../src/zoom/dates';

const rec = (complete: boolean, entries = 3) => ({
  entries,
  sha256: 'x',
  bytes: 1,
  syncedAt: '2026-11-01T00:00:00Z',
  complete,
  categories: { User: entries },
});

describe('Archive view model and archived ranges', () => {
  const today = '2026-11-26';
  const horizon = horizonStart(today);

  it('warning item with Sync now first, a summary, months newest first with day icons', () => {
    const days: Manifest['days'] = {};
    for (let d = horizon; d < today; d = addDays(d, 1)) days[d] = rec(true);
    delete days[addDays(horizon, 2)]; // missing, falls off within two weeks: at risk
    days[addDays(today, -3)] = rec(false); // incomplete, recent
    delete days[addDays(today, -1)]; // missing, recent
    const m = { format: 'zoom-operation-logs-archive', version: 1, order: 'oldest-first', days } as unknown as Manifest;
    const cov = coverage(m, today);
    const items = coverageItems(cov, { lastSync: { at: '2026-11-26T10:00:00Z', requests: 17 } });
    assert.equal(items[0].id, 'cov/warning');
    assert.equal(items[0].label, '1 day becomes unrecoverable in 3 days: Sync now');
    assert.equal(items[0].command?.command, 'zoomOperationLogs.syncArchive');
    assert.match(items[1].label, /^\d+ days complete, 1 incomplete, 3 missing$/);
    assert.equal(items[1].description, 'last sync 2026-11-26 10:00 UTC');
    const months = items.slice(2);
    assert.equal(months[0].label, 'November 2026');
    assert.equal(months[months.length - 1].label.endsWith('2026'), true);
    const risky = months.flatMap((mo) => mo.children ?? []).filter((d) => d.contextValue.endsWith('atRisk'));
    assert.deepEqual(
      risky.map((d) => d.id),
      [`cov/${addDays(horizon, 2)}`],
    );
    assert.equal(risky[0].icon, 'warning');
    const nov = months[0].children ?? [];
    assert.equal(nov[0].id, `cov/${today}`, 'days newest first');
    assert.equal(nov.find((d) => d.id === `cov/${addDays(today, -1)}`)?.icon, 'circle-slash');
    assert.equal(nov.find((d) => d.id === `cov/${addDays(today, -2)}`)?.icon, 'pass-filled');
    assert.equal(dayState({ day: '2020-01-01', status: 'missing', entries: 0, recoverable: false }, today), 'gone');
  });

  it('days Zoom already refused are drawn as gone, not at risk, and give no warning', () => {
    const days: Manifest['days'] = {};
    const refusedThrough = addDays(horizon, 2);
    for (let d = addDays(refusedThrough, 1); d < today; d = addDays(d, 1)) days[d] = rec(true);
    const m = {
      format: 'zoom-operation-logs-archive',
      version: 1,
      order: 'oldest-first',
      days,
      refusedThrough,
    } as unknown as Manifest;
    const items = coverageItems(coverage(m, today));
    assert.equal(items[0].id, 'cov/summary', 'no warning item');
    assert.match(items[0].tooltip ?? '', new RegExp(`Zoom still has every day from ${addDays(refusedThrough, 1)}\\.`));
    const all = items.slice(1).flatMap((mo) => mo.children ?? []);
    const refused = all.filter((d) => d.id >= `cov/${horizon}` && d.id <= `cov/${refusedThrough}`);
    assert.equal(refused.length, 3);
    for (const d of refused) {
      assert.equal(d.contextValue, 'coverageDay gone', d.id);
      assert.equal(d.icon, 'error');
    }
    assert.equal(all.filter((d) => d.contextValue.endsWith('atRisk')).length, 0);
    const month = items.find((i) => i.id === `cov/${horizon.slice(0, 7)}`);
    assert.match(month?.description ?? '', /3 gone/);
    assert.doesNotMatch(month?.description ?? '', /at risk/);
  });

  it('no archive: one item that says to sign in', () => {
    assert.deepEqual(
      coverageItems(undefined).map((i) => i.contextValue),
      ['coverageMessage'],
    );
  });

  it('ranges older than six months pass only when the archive holds days from their start', () => {
    const old = addDays(horizon, -40);
    assert.match(checkRangeWithArchive(old, addDays(old, 5), today, undefined) ?? '', /months ago/);
    assert.equal(checkRangeWithArchive(old, addDays(old, 5), today, addDays(old, -1)), undefined);
    assert.match(checkRangeWithArchive(old, addDays(old, 5), today, addDays(old, 1)) ?? '', /archive holds days from/);
    assert.match(checkRangeWithArchive(addDays(old, 5), old, today, addDays(old, -1)) ?? '', /after the end date/);
    assert.match(
      checkRangeWithArchive('2026-13-01', today, today, '2020-01-01') ?? '',
      /real calendar date|not a date/,
    );
    assert.match(checkRangeWithArchive(old, addDays(today, 1), today, '2020-01-01') ?? '', /future/);
  });

  it("with an archive: a one-day range, a start on the archive's first day, padded dates and the exact words", () => {
    const old = addDays(horizon, -40);
    assert.equal(checkRangeWithArchive(old, old, today, old), undefined, 'one day, the first the archive holds');
    assert.equal(checkRangeWithArchive(` ${old} `, ` ${addDays(old, 2)}\t`, today, old), undefined, 'padded');
    assert.equal(
      checkRangeWithArchive(` ${addDays(old, 2)}`, `${old} `, today, old),
      `The start date ${addDays(old, 2)} is after the end date ${old}; swap them.`,
    );
    assert.equal(
      checkRangeWithArchive(old, addDays(old, 3), today, addDays(old, 1)),
      `Start date: ${old} is more than 6 months ago; Zoom keeps operation logs for 6 months, so the earliest date is 2026-05-26. The archive holds days from ${addDays(old, 1)} on.`,
    );
    assert.equal(
      checkRangeWithArchive('  ', old, today, old),
      'Start date: Enter the start date as yyyy-mm-dd.',
      'the start named as such',
    );
  });
});
