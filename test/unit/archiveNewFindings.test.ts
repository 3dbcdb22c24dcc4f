/**
 * What a background sync tells the person: SyncResult.added (the entries a sync added, exactly as
 * a multiset per day) and the notice for the high-severity findings among them (src/archive/newFindings.ts).
 */
import assert from 'node:assert/strict';
import { Archive, highFindings, newFindingsAfterSync, newFindingsNotice, type NewFinding } from '../../src/archive';
import { BUILT_IN_RULES, compileRules } from '../../src/insights';
import type { SimEntry } from '../simulator/index';
import { toRawEntry, type OperationLogEntry } from '../../src/zoom';
import { addDays, todayUtc } from '../../src/zoom/dates';
import { assertSameMultiset, staticClient } from './support/helpers';
import { copies, DAY_MS, entry, simulatorsPerTest, T0, tempDir } from './support/archiveHelpers';

/** As InsightsService.findingRecords: the built-in rules' findings as plain records. */
const { engine } = compileRules(BUILT_IN_RULES);
const findingRecords = (entries: readonly OperationLogEntry[]): unknown[] =>
  entries.flatMap((e) =>
    engine
      .check(e)
      .map((f) => ({ ruleId: f.ruleId, title: f.title, severity: f.severity, entry: toRawEntry(f.entry) })),
  );

const twoFactorOff = (time: string, operator: string): SimEntry =>
  entry(time, 'Security  - Sign in with Two-Factor Authentication: from On to Off', {
    category_type: 'Account',
    operator,
  });
const roleRaised = (time: string, operator: string): SimEntry =>
  entry(time, 'Change Role  - jane@example.com: from User to Co-Owner', { action: 'Batch Update', operator });

describe('Archive: new entries and new high-severity findings after a sync', function () {
  this.timeout(30_000);
  const start = simulatorsPerTest();

  it('SyncResult.added: undefined on a first sync, then exactly the entries each later sync added (same-second copies too)', async () => {
    const day0 = todayUtc(T0);
    const yesterday = addDays(day0, -1);
    const dup = entry(`${yesterday}T10:00:00Z`, 'Update User a@example.com  - Job Title: set to X');
    const base: SimEntry[] = [
      ...copies(2, dup),
      entry(`${addDays(day0, -20)}T08:00:00Z`, 'Add Group Engineers', { category_type: 'User Group', action: 'Add' }),
      twoFactorOff(`${addDays(day0, -3)}T09:00:00Z`, 'old@example.com'),
      entry(`${day0}T01:00:00Z`, 'Edit Group Recruiting ', { category_type: 'User Group' }),
    ];
    const dir = tempDir();
    const first = await (
      await Archive.open(dir, { now: () => T0 })
    ).sync(staticClient(await start({ data: base, now: T0 })));
    assert.equal(first.entriesFetched, base.length);
    assert.equal(first.added, undefined, 'a first sync adds everything: no "new" list');

    // A day later: a third identical copy on yesterday (the overlap day), more of today, a new day.
    const T1 = T0 + DAY_MS;
    const day1 = todayUtc(T1);
    const fresh: SimEntry[] = [
      { ...dup },
      twoFactorOff(`${day0}T05:00:00Z`, 'mallory@example.com'),
      roleRaised(`${day1}T02:00:00Z`, 'eve@example.com'),
      roleRaised(`${day1}T02:00:00Z`, 'eve@example.com'),
      entry(`${day1}T03:00:00Z`, 'Update User b@example.com  - Department: set to Sales'),
    ];
    const archive = await Archive.open(dir, { now: () => T1 });
    const second = await archive.sync(staticClient(await start({ data: [...base, ...fresh], now: T1 })));
    assert.equal(second.from, yesterday, 'the overlap day is read again');
    assert.ok(second.added, 'a later sync lists what it added');
    assertSameMultiset(second.added, fresh, 'added by the second sync');

    // Nothing new: nothing added.
    const third = await archive.sync(staticClient(await start({ data: [...base, ...fresh], now: T1 })));
    assert.deepEqual(third.added, []);

    // Only the new entries' high findings are named: the old two-factor change of day0-3 is not.
    const notice = await newFindingsAfterSync(second, findingRecords, { today: day1 });
    assert.ok(notice);
    assert.equal(notice.findings.length, 3);
    assert.equal(
      notice.message,
      '3 new high-severity findings in Zoom operation logs: User role raised to Admin, Owner, Co-Owner or Billing Admin by eve@example.com (2 times); Two-factor sign-in turned off by mallory@example.com.',
    );
    assert.equal(notice.action, 'Show Them');
    assert.deepEqual(notice.show, { from: day0, to: day1, filter: 'severity:high' });
    assert.equal(await newFindingsAfterSync(first, findingRecords, { today: day0 }), undefined, 'first sync');
    assert.equal(await newFindingsAfterSync(third, findingRecords, { today: day1 }), undefined, 'nothing new');
  });

  it('the notice names at most N findings, newest first, and counts the rest', () => {
    const f = (time: string, title: string, operator: string): NewFinding => ({
      ruleId: title,
      title,
      operator,
      time,
      day: time.slice(0, 10),
    });
    const findings = [
      f('2026-11-10T10:00:00Z', 'Two-factor sign-in turned off', 'a@example.com'),
      f('2026-11-12T10:00:00Z', 'Meeting passcode requirement turned off', 'b@example.com'),
      f('2026-11-11T10:00:00Z', 'Two-factor sign-in turned off', 'c@example.com'),
      f('2026-11-09T10:00:00Z', 'Sub account deleted', ''),
    ];
    const two = newFindingsNotice(findings, { today: '2026-11-15', maxNamed: 2 });
    assert.equal(
      two?.message,
      '4 new high-severity findings in Zoom operation logs: Two-factor sign-in turned off by a@example.com; Meeting passcode requirement turned off by b@example.com, and 2 more.',
    );
    assert.deepEqual(two?.show, { from: '2026-11-09', to: '2026-11-12', filter: 'severity:high' });
    const sorted = highFindings(
      findings.map((x) => ({
        ruleId: x.ruleId,
        title: x.title,
        severity: 'high',
        entry: { time: x.time, operator: x.operator },
      })),
    );
    assert.deepEqual(
      sorted.map((x) => x.time),
      ['2026-11-12T10:00:00Z', '2026-11-11T10:00:00Z', '2026-11-10T10:00:00Z', '2026-11-09T10:00:00Z'],
    );
    const all = newFindingsNotice(sorted, { today: '2026-11-15' });
    assert.equal(
      all?.message,
      '4 new high-severity findings in Zoom operation logs: Meeting passcode requirement turned off by b@example.com; Two-factor sign-in turned off by c@example.com; Two-factor sign-in turned off by a@example.com, and 1 more.',
    );
    assert.equal(
      newFindingsNotice([findings[3]], { today: '2026-11-15' })?.message,
      '1 new high-severity finding in Zoom operation logs: Sub account deleted.',
    );
    assert.equal(newFindingsNotice([], { today: '2026-11-15' }), undefined);
  });

  it('only high-severity findings with a title and an entry count; other records are ignored', () => {
    const entry0 = { time: '2026-11-10T10:00:00Z', operator: 'a@example.com' };
    const got = highFindings([
      { ruleId: 'x', title: 'High one', severity: 'high', entry: entry0 },
      { ruleId: 'y', title: 'Medium one', severity: 'medium', entry: entry0 },
      { ruleId: 'z', title: '', severity: 'high', entry: entry0 },
      { ruleId: 'w', title: 'No entry', severity: 'high' },
      null,
      'high',
      { ruleId: 'v', title: 'Bad time', severity: 'high', entry: { time: 'not a time', operator: 7 } },
    ]);
    assert.deepEqual(
      got.map((f) => [f.title, f.operator, f.day]),
      [
        ['High one', 'a@example.com', '2026-11-10'],
        ['Bad time', '', undefined],
      ],
    );
    // A finding without a usable day: the range to show falls back to today.
    assert.deepEqual(newFindingsNotice(got.slice(1), { today: '2026-11-15' })?.show, {
      from: '2026-11-15',
      to: '2026-11-15',
      filter: 'severity:high',
    });
  });
});
