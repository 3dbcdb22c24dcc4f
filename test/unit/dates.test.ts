import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  checkDate,
  checkRange,
  formatDate,
  horizonStart,
  monthWindows,
  parseDate,
} from '../../src/zoom/dates';

const DAY = 86_400_000;
const dateArb = fc
  .integer({ min: Date.UTC(2000, 0, 1) / DAY, max: Date.UTC(2040, 11, 31) / DAY })
  .map((d) => formatDate(d * DAY));

describe('dates', () => {
  const today = '2026-11-26';

  it('parses only real yyyy-mm-dd dates', () => {
    assert.equal(parseDate('2026-02-28'), Date.UTC(2026, 1, 28));
    // 0099: Date.UTC reads years 0-99 as 1900-1999, so only the year tells that date apart.
    for (const bad of [
      '2026-02-30',
      '2026-13-01',
      '26-01-01',
      '2026-1-1',
      '2026-01-01T00:00',
      '',
      'today',
      'x2026-11-01',
      '2026-11-01x',
      '0099-01-01',
    ]) {
      assert.equal(parseDate(bad), undefined, bad);
    }
  });

  it('six-month horizon clamps month ends', () => {
    assert.equal(horizonStart('2026-11-26'), '2026-05-26');
    assert.equal(horizonStart('2026-08-31'), '2026-02-28');
    assert.equal(addMonths('2024-08-31', -6), '2024-02-29');
  });

  it('explains each way a range can be wrong, before any request', () => {
    assert.match(checkRange('2026/11/01', today, today) ?? '', /not a date in the form yyyy-mm-dd/);
    assert.match(checkRange('2026-02-30', today, today) ?? '', /not a real calendar date/);
    assert.match(checkRange('2026-11-20', '2026-11-10', today) ?? '', /after the end date/);
    assert.match(checkRange('2026-11-20', '2026-11-27', today) ?? '', /in the future/);
    assert.match(checkRange('2026-05-25', today, today) ?? '', /more than 6 months ago.*2026-05-26/);
    assert.match(checkDate('', today, 'start') ?? '', /Enter the start date/);
    assert.equal(checkRange('2026-11-20', ' ', today), 'End date: Enter the end date as yyyy-mm-dd.');
    assert.equal(checkRange('2026-11-01', ' 2026-11-05 ', today), undefined, 'blanks around a date are not a swap');
    assert.match(
      checkRange(' 2026-11-05', '2026-11-01 ', today) ?? '',
      /start date 2026-11-05 is after the end date 2026-11-01;/,
    );
    assert.equal(checkRange('2026-05-26', today, today), undefined);
    assert.equal(checkRange(today, today, today), undefined);
  });

  it('splits a range into calendar months, newest first', () => {
    assert.deepEqual(monthWindows('2026-10-28', '2026-11-26'), [
      { from: '2026-11-01', to: '2026-11-26' },
      { from: '2026-10-28', to: '2026-10-31' },
    ]);
    assert.deepEqual(monthWindows('2026-11-05', '2026-11-05'), [{ from: '2026-11-05', to: '2026-11-05' }]);
    assert.equal(monthWindows('2026-05-26', '2026-11-26').length, 7);
  });

  it('property: windows cover the range exactly, never overlap, each within one calendar month', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 800 }), (from, span) => {
        const to = addDays(from, span);
        const ws = monthWindows(from, to);
        // newest first, contiguous: each window ends the day before the previous one starts
        assert.equal(ws[0].to, to);
        assert.equal(ws[ws.length - 1].from, from);
        for (let i = 0; i < ws.length; i++) {
          const w = ws[i];
          assert.ok(w.from <= w.to);
          assert.equal(w.from.slice(0, 7), w.to.slice(0, 7), 'one calendar month');
          if (i > 0) assert.equal(addDays(w.to, 1), ws[i - 1].from, 'adjacent, no gap, no overlap');
        }
        const days = ws.reduce((n, w) => n + (parseDate(w.to)! - parseDate(w.from)!) / DAY + 1, 0);
        assert.equal(days, span + 1);
      }),
      { numRuns: 500 },
    );
  });
});
