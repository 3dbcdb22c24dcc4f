/**
 * What tree nodes show and do (src/views/treeModel.ts), in plain Node, on real sessions
 * loaded from the simulator; and the credential key LogView compares.
 */
import assert from 'node:assert/strict';
import { COMMANDS } from '../../src/commands/ids';
import { parsedOf, summarize } from '../../src/insights';
import { LogSession } from '../../src/model/session';
import { credentialKey } from '../../src/views/credentialKey';
import { CategoryNode, EntryNode, LoadMoreNode, MessageNode, OthersNode, ShowMoreNode } from '../../src/views/nodes';
import {
  actionIcon,
  categoryView,
  dateView,
  entryTooltipFields,
  entryView,
  loadMoreView,
  messageAction,
  messageView,
  NODE_CLICK_COMMANDS,
  oneLine,
  othersView,
  showMoreView,
  TOOLTIP_FIELD_MAX,
} from '../../src/views/treeModel';
import { addDays, todayUtc } from '../../src/zoom/dates';
import { ZoomError, type ZoomErrorKind } from '../../src/zoom/errors';
import type { OperationLogEntry } from '../../src/zoom/types';
import { startSimulator, type Simulator } from '../simulator/index';
import { reportRequests, staticClient } from './support/helpers';
import { archivedEntry, memoryArchive, memoryZoom } from './support/memorySources';

describe('Tree model (plain Node)', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 11, entries: 3000, rps: 0 });
  });
  after(async () => {
    await sim.close();
  });

  function session(categories: LogSession['query']['categories'], pageSize = 5): LogSession {
    const client = staticClient(sim);
    const to = todayUtc(sim.clock.now());
    return new LogSession(
      { from: addDays(to, -29), to, categories },
      { pageSize, timeZone: 'UTC', client: () => Promise.resolve(client) },
    );
  }

  it('a category says "expand to load" until its first page, then counts with "+" while pages remain', async () => {
    const s = session(['user']);
    const node = new CategoryNode(s, s.logs.get('user')!);
    let v = categoryView(node);
    assert.equal(v.label, 'User');
    assert.equal(v.description, undefined);
    assert.match(v.tooltip ?? '', /expand to load the first page/);
    assert.equal(v.contextValue, 'category');
    assert.equal(v.collapsible, true);

    sim.resetLog();
    await node.log.loadNextPage();
    assert.equal(reportRequests(sim), 1);
    v = categoryView(node);
    assert.equal(v.description, '5+');
    assert.match(v.tooltip ?? '', /^User: 5 entries loaded, more on Zoom\.$/);

    // A filter shows "visible of loaded".
    const needle = node.log.allEntries()[0].operator;
    s.setFilter(needle);
    const visible = node.log.allEntries().filter((e) => s.matches(e)).length;
    assert.equal(categoryView(node).description, `${visible} of 5+`);
  });

  it('a date whose archived day could not be read: a warning, "archive damaged", the message in the tooltip', async () => {
    const days = {
      '2026-11-18': [archivedEntry('2026-11-18', 'User', 1)],
      '2026-11-19': [archivedEntry('2026-11-19', 'User', 1), archivedEntry('2026-11-19', 'User', 2)],
    };
    const s = new LogSession(
      { from: '2026-11-18', to: '2026-11-22', categories: ['user'] },
      {
        pageSize: 300,
        timeZone: 'UTC',
        client: () => Promise.resolve(memoryZoom([[]])),
        archive: memoryArchive(days, ['2026-11-19']),
        horizon: '2026-06-01',
      },
    );
    const node = new CategoryNode(s, s.logs.get('user')!);
    const damaged = node.date('2026-11-19');
    assert.equal(dateView(damaged).icon, 'calendar', 'not read yet: nothing known to be wrong');
    assert.equal(dateView(damaged).description, '2', 'the manifest says how many');
    await node.log.completeDate('2026-11-19');
    const v = dateView(damaged);
    assert.equal(v.icon, 'warning');
    assert.equal(v.iconColor, 'list.warningForeground');
    assert.equal(v.description, '0 · archive damaged');
    assert.equal(v.tooltip, 'changed');
    await node.log.completeDate('2026-11-18');
    const fine = dateView(node.date('2026-11-18'));
    assert.deepEqual([fine.icon, fine.description], ['calendar', '1']);
    const warning = messageView(
      new MessageNode(damaged, 'Archived day 2026-11-19: its file is missing.', undefined, undefined, true),
      'token',
    );
    assert.equal(warning.icon, 'warning');
    assert.equal(warning.contextValue, 'message', 'nothing to retry');
  });

  it('dates and entries: labels, counts, icons, the open command, the tooltip fields', async () => {
    const s = session(['user'], 300);
    const node = new CategoryNode(s, s.logs.get('user')!);
    await node.log.loadNextPage();
    const [key] = node.log.dateKeys();
    const date = node.date(key);
    const dv = dateView(date);
    assert.match(dv.label, /^\d{4}-\d{2}-\d{2} (Mon|Tue|Wed|Thu|Fri|Sat|Sun)$/);
    assert.equal(dv.description, String(node.log.entries(key).length));
    assert.match(dv.tooltip ?? '', /\(UTC\)/);

    const entry = new EntryNode(date, node.log.entries(key)[0], 0);
    const ev = entryView(entry);
    const e = entry.entry;
    assert.equal(ev.label, oneLine(summarize(parsedOf(e)), 120), 'the readable change');
    assert.ok(ev.label.length > 0);
    assert.equal(ev.description, `${s.keyer.time(e.timeMs)} · ${oneLine(e.operator, 60)}`);
    assert.equal(ev.icon, actionIcon(e.action));
    assert.equal(ev.contextValue, 'entry');
    assert.deepEqual(ev.command, { command: COMMANDS.openEntry, title: 'Open Entry', arguments: [entry] });
    assert.ok(ev.accessibilityLabel?.includes(` at ${s.keyer.time(e.timeMs)}: `), ev.accessibilityLabel);
    assert.equal(ev.iconColor, undefined, 'no colour without findings');
    assert.equal(entryView(entry, 'high').iconColor, 'charts.red');
    assert.equal(entryView(entry, 'medium').iconColor, 'charts.orange');
    assert.equal(entryView(entry, 'low').iconColor, 'charts.yellow');
    assert.match(entryView(entry, 'high').accessibilityLabel ?? '', /Flagged: high severity\.$/);
  });

  it('"Other categories", Load more and Show more', async () => {
    const s = session([...(await import('../../src/zoom/types')).CATEGORIES], 50);
    assert.ok(s.others);
    const others = new OthersNode(s, s.others);
    assert.equal(othersView(others).contextValue, 'category others', 'Export... applies to it');
    assert.match(othersView(others).tooltip ?? '', /Expanding it asks for the first page of all categories\./);

    const user = new CategoryNode(s, s.logs.get('user')!);
    assert.deepEqual(loadMoreView(new LoadMoreNode(user)).command, {
      command: COMMANDS.loadMore,
      title: 'Load More',
      arguments: [user],
    });
    const date = user.date('2026-01-01');
    const more = showMoreView(new ShowMoreNode(date, 1234));
    assert.equal(more.label, 'Show more (1,234 hidden)');
    assert.deepEqual(more.command?.arguments, [date]);
  });

  it('oneLine removes control, bidi and zero-width characters and bounds the length', () => {
    assert.equal(oneLine('a\u202eb\u200bc\nd\te', 40), 'a b c d e');
    assert.equal(oneLine('x'.repeat(50), 10), `${'x'.repeat(9)}…`);
    assert.equal(actionIcon('  Delete '), 'trash');
    assert.equal(actionIcon('Something new'), 'circle-small-filled');
  });

  it('tooltip fields are cut at the maximum and say how long the value was', () => {
    const long = 'd'.repeat(TOOLTIP_FIELD_MAX + 5);
    const e = {
      time: '2026-11-01T00:00:00Z',
      timeMs: Date.parse('2026-11-01T00:00:00Z'),
      operator: 'a@example.com',
      category: 'user',
      categoryType: 'User',
      action: 'Update',
      operationDetail: long,
    } as OperationLogEntry;
    const fields = new Map(entryTooltipFields(e));
    assert.deepEqual([...fields.keys()], ['Time', 'Operator', 'Category', 'Action', 'Detail']);
    assert.equal(fields.get('Operator'), 'a@example.com');
    assert.equal(
      fields.get('Detail'),
      `${'d'.repeat(TOOLTIP_FIELD_MAX)}… (${TOOLTIP_FIELD_MAX + 5} characters; open the entry to see all)`,
    );
  });

  it("a message node's action fits its failure; Retry retries the node above it", () => {
    const want: [ZoomErrorKind, 'token' | 's2s' | undefined, string][] = [
      ['auth', 'token', COMMANDS.setToken],
      ['auth', undefined, COMMANDS.setToken],
      ['auth', 's2s', COMMANDS.signInS2S],
      ['oauth', 's2s', COMMANDS.signInS2S],
      ['horizon', 'token', COMMANDS.fetch],
      ['config', 'token', 'workbench.action.openSettings'],
      ['permission', 's2s', COMMANDS.checkSetup],
      ['rateLimit', 'token', COMMANDS.retry],
      ['server', 'token', COMMANDS.retry],
      ['network', 'token', COMMANDS.retry],
    ];
    for (const [kind, cred, command] of want) {
      assert.equal(messageAction(new ZoomError(kind, 'x'), cred)?.command, command, `${kind}/${cred}`);
    }
    assert.equal(messageAction(undefined, 'token'), undefined);
    assert.deepEqual(messageAction(new ZoomError('config', 'x'), 'token')?.args, ['zoomOperationLogs']);

    const s = session(['user']);
    const user = new CategoryNode(s, s.logs.get('user')!);
    const failed = messageView(
      new MessageNode(user, 'Zoom had a problem. Try again later.', new ZoomError('server', 'x')),
      'token',
    );
    assert.equal(failed.label, 'Zoom had a problem.', 'first sentence');
    assert.equal(failed.contextValue, 'message retryable', 'the inline Retry button shows');
    assert.equal(failed.icon, 'warning');
    assert.deepEqual(failed.command, { command: COMMANDS.retry, title: 'Retry', arguments: [user] });
    const auth = messageView(new MessageNode(user, 'Token refused.', new ZoomError('auth', 'x')), 's2s');
    assert.equal(auth.contextValue, 'message setup', 'auth messages carry the inline Check Setup button');
    assert.deepEqual(auth.command?.arguments, []);
    const scope = messageView(
      new MessageNode(user, 'Scope missing.', new ZoomError('auth', 'x', { missingScope: true })),
      's2s',
    );
    assert.equal(
      scope.command?.command,
      COMMANDS.checkSetup,
      'a missing scope is fixed in Zoom: clicking checks setup',
    );
    const permission = messageView(new MessageNode(user, 'No permission.', new ZoomError('permission', 'x')), 's2s');
    assert.equal(permission.contextValue, 'message setup');
    assert.equal(failed.contextValue.includes('setup'), false, 'a server failure has no Check Setup button');
    const hint = messageView(new MessageNode(user, 'No entries.'), 'token');
    assert.equal(hint.command, undefined);
    assert.equal(hint.icon, 'info');
  });

  it('NODE_CLICK_COMMANDS lists every command a node can run when clicked', () => {
    const kinds: ZoomErrorKind[] = ['auth', 'oauth', 'horizon', 'config', 'permission', 'server'];
    // Search the whole range and Group by are what the filter's and grouping's notices run (logTreeProvider.ts).
    const produced = new Set<string>([
      COMMANDS.openEntry,
      COMMANDS.loadMore,
      COMMANDS.searchWholeRange,
      COMMANDS.groupBy,
    ]);
    produced.add(messageAction(new ZoomError('auth', 'x', { missingScope: true }), 's2s')!.command);
    for (const k of kinds) {
      for (const cred of ['token', 's2s'] as const) produced.add(messageAction(new ZoomError(k, 'x'), cred)!.command);
    }
    assert.deepEqual([...produced].sort(), [...NODE_CLICK_COMMANDS].sort());
  });
});

describe('credentialKey (what LogView compares to ignore a repeated sign-in)', () => {
  it('is equal for equal credentials, differs by kind and by any value, and holds no secret', () => {
    const t = { kind: 'token', token: 'tok-secret-value' } as const;
    const s = { kind: 's2s', accountId: 'acc-1234', clientId: 'cid-5678', clientSecret: 'sec-abcdefgh' } as const;
    assert.equal(credentialKey(t), credentialKey({ kind: 'token', token: 'tok-secret-value' }));
    assert.equal(credentialKey(s), credentialKey({ ...s }));
    assert.notEqual(credentialKey(t), credentialKey({ kind: 'token', token: 'tok-secret-valuf' }));
    assert.notEqual(credentialKey(s), credentialKey({ ...s, clientSecret: 'sec-abcdefgi' }));
    assert.notEqual(credentialKey(s), credentialKey({ ...s, accountId: 'acc-1235' }));
    // Moving a character from one field to the next is a different app.
    assert.notEqual(
      credentialKey({ kind: 's2s', accountId: 'ab', clientId: 'c', clientSecret: 'd' }),
      credentialKey({ kind: 's2s', accountId: 'a', clientId: 'bc', clientSecret: 'd' }),
    );
    assert.equal(credentialKey(undefined), 'signed-out');
    assert.match(credentialKey(t), /^token:[0-9a-f]{64}$/);
    assert.match(credentialKey(s), /^s2s:[0-9a-f]{64}$/);
    for (const v of [t.token, s.accountId, s.clientId, s.clientSecret]) {
      assert.ok(!credentialKey(t).includes(v) && !credentialKey(s).includes(v));
    }
  });
});
