// Issue 10 inside VS Code against the simulator: Sync Archive fills the archive, a tampered day
// is reported by the next sync and left alone, the horizon warning on a fake clock (once a day),
// evidence packs and their verification after tampering, and the tree reading an archived range
// older than six months with 0 requests.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { accountArchiveDir, Archive, dayFilePath, type EvidenceCheck, type SyncResult } from '../../src/archive';
import type { EvidenceManifest } from '../../src/archive';
import type { TestApi } from '../../src/extension';
import { STATE_KEYS } from '../../src/config/keys';
import type { CategoryNode, DateNode, EntryNode, MessageNode } from '../../src/views/nodes';
import {
  addDays,
  categoryKey,
  horizonStart,
  RateLimiter,
  StaticTokenSource,
  todayUtc,
  toRawEntry,
  ZoomClient,
} from '../../src/zoom';
import { startSimulator, type Simulator } from '../simulator';
import {
  archiveSetup,
  children,
  description,
  extensionApi,
  label,
  rawKey,
  recordMessages,
  reportRequests,
  setSetting,
  until,
} from './support/harness';

const DAY_MS = 86_400_000;

function sameMultiset(a: string[], b: string[], what: string): void {
  assert.equal(a.length, b.length, `${what}: count`);
  assert.deepEqual([...a].sort(), [...b].sort(), what);
}

describe('Archive in VS Code (sync, coverage, evidence packs, browsing)', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator;
  let root: string;
  let dir: string;
  const today = todayUtc(Date.now());

  let done: () => Promise<void>;
  /** The first sync, run by whichever test needs an archive first: each test stands alone (a grep may run one). */
  let firstSync: Thenable<SyncResult | undefined> | undefined;
  const synced = (): Thenable<SyncResult | undefined> =>
    (firstSync ??= vscode.commands.executeCommand<SyncResult | undefined>('zoomOperationLogs.syncArchive'));

  before(async () => {
    api = await extensionApi();
    await api.context.globalState.update(STATE_KEYS.archiveWarningShownOn, undefined);
    ({ sim, root, dir, done } = await archiveSetup(api, 'test-account', { entries: 3000, seed: 12 }));
  });
  after(async () => {
    api.archive.service.now = Date.now;
    await api.context.globalState.update(STATE_KEYS.archiveWarningShownOn, undefined);
    await done();
  });

  it('Sync Archive fills the archive with exactly Zoom’s entries, and the Archive view shows the days', async () => {
    sim.resetLog();
    const result = await synced();
    assert.ok(result, 'the sync succeeded');
    assert.equal(result.from, horizonStart(today));
    assert.equal(result.to, today);
    assert.equal(result.requests, reportRequests(sim), 'the result counts the requests sent');
    assert.ok(fs.existsSync(path.join(dir, 'manifest.json')), 'the archive is in the chosen folder');
    const archive = await Archive.open(dir);
    const read = await archive.readRange(result.from, today);
    sameMultiset(
      read.entries.map((e) => rawKey(toRawEntry(e))),
      sim.expected({ from: result.from, to: today }).map(rawKey),
      'archived entries',
    );
    const cov = api.archive.service.coverage();
    assert.ok(cov);
    assert.equal(cov.counts.missing, 0);
    assert.equal(cov.warning, undefined, 'nothing is at risk right after a sync');
    const coverage = await vscode.commands.executeCommand<typeof cov>('zoomOperationLogs.showArchiveCoverage');
    assert.equal(coverage?.counts.complete, cov.counts.complete);
    assert.match(api.archive.view.treeView.description ?? '', /^$/);
  });

  it('a day whose file no longer matches its SHA-256 is reported by the next sync and left as it is', async () => {
    await synced();
    const archive = await Archive.open(dir);
    const day = Object.entries(archive.manifest.days).find(([d, r]) => r.entries > 0 && d < addDays(today, -3))?.[0];
    assert.ok(day);
    const file = dayFilePath(dir, day);
    const tampered = Buffer.concat([fs.readFileSync(file), Buffer.from('tampered')]);
    fs.writeFileSync(file, tampered);
    // The next sync reads that month again (it starts a day before the first incomplete day).
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      days: Record<string, { complete: boolean }>;
    };
    m.days[addDays(day, 1)].complete = false;
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
    await api.archive.service.archive?.reload();
    const result = await vscode.commands.executeCommand<SyncResult | undefined>('zoomOperationLogs.syncArchive');
    assert.ok(result);
    assert.deepEqual(
      result.damagedDays.map((d) => [d.day, d.problem]),
      [[day, 'modified']],
    );
    assert.match(result.damagedDays[0].message, new RegExp(`${day}.*left as it is`));
    assert.deepEqual(fs.readFileSync(file), tampered, 'not silently rewritten');
    // Asked explicitly, the next sync fetches it again.
    const again = await vscode.commands.executeCommand<SyncResult | undefined>('zoomOperationLogs.syncArchive', {
      overwriteDamaged: true,
    });
    assert.deepEqual(again?.damagedDays, []);
    assert.equal((await Archive.open(dir)).manifest.days[day].sha256 !== null, true);
    assert.equal((await (await Archive.open(dir)).verify()).ok, true);
  });

  it('the horizon warning on a fake clock: in the view with Sync now, as a notification once a day', async () => {
    await synced();
    const service = api.archive.service;
    // Move "today" forward until today's (incomplete) archived day is about to fall off Zoom's horizon.
    let shift = 0;
    for (let k = 150; k < 200; k++) {
      const t = addDays(today, k);
      if (today >= horizonStart(t) && today < horizonStart(addDays(t, 5))) {
        shift = k;
        break;
      }
    }
    assert.ok(shift > 0);
    service.now = () => Date.now() + shift * DAY_MS;
    try {
      const cov = service.coverage();
      assert.ok(cov?.warning, 'warning on the fake clock');
      assert.match(cov.warning.message, /^\d+ days? become unrecoverable in \d+ days?: Sync now$/);
      assert.equal(cov.warning.firstDay, today);
      api.archive.view.redraw();
      assert.equal(api.archive.view.treeView.description, cov.warning.message);
      const first = await api.archive.view.checkWarning();
      assert.equal(first, cov.warning.message, 'notified');
      assert.equal(await api.archive.view.checkWarning(), undefined, 'not twice the same day');
      service.now = () => Date.now() + (shift + 1) * DAY_MS;
      assert.ok(await api.archive.view.checkWarning(), 'again the next day while the warning holds');
    } finally {
      service.now = Date.now;
      api.archive.view.redraw();
    }
  });

  it('Export Evidence Pack writes the files and manifest; Verify Evidence Pack finds a changed file', async () => {
    await synced();
    const from = addDays(today, -10);
    const folder = path.join(root, 'pack');
    sim.resetLog();
    const manifest = await vscode.commands.executeCommand<EvidenceManifest | undefined>(
      'zoomOperationLogs.exportEvidencePack',
      { from, to: today, folder },
    );
    assert.ok(manifest);
    assert.deepEqual(manifest.files.map((f) => f.name).sort(), ['entries.csv', 'entries.json', 'findings.json']);
    assert.equal(manifest.coverage.length, 11);
    assert.deepEqual(
      manifest.account,
      { name: api.accounts.active.name, apiHost: new URL(sim.apiBaseUrl).host },
      'the manifest names the account the entries came from',
    );
    assert.equal(manifest.coverage[manifest.coverage.length - 1].status, 'Zoom', 'today comes from Zoom');
    assert.match(manifest.coverage[0].status, /^archive, complete$/);
    const expected = sim.expected({ from, to: today });
    assert.equal(manifest.counts.entries, expected.length);
    assert.ok(reportRequests(sim) <= 2, 'only today is asked of Zoom (one all-categories page or two)');
    const json = JSON.parse(fs.readFileSync(path.join(folder, 'entries.json'), 'utf8')) as Parameters<
      typeof rawKey
    >[0][];
    sameMultiset(json.map(rawKey), expected.map(rawKey), 'entries.json');
    // The findings of exactly these entries, as the Findings view's rules see them.
    const findings = JSON.parse(fs.readFileSync(path.join(folder, 'findings.json'), 'utf8')) as {
      ruleId: string;
      entry: Parameters<typeof rawKey>[0];
    }[];
    const engine = api.insights;
    const want = expected.flatMap((e) =>
      engine
        .findingsOf({
          ...e,
          timeMs: Date.parse(e.time),
          categoryType: e.category_type,
          category: categoryKey(e.category_type),
          operationDetail: e.operation_detail,
        })
        .map((f) => `${f.ruleId} ${rawKey(e)}`),
    );
    assert.ok(want.length > 0, 'the range has findings (positive control)');
    sameMultiset(
      findings.map((f) => `${f.ruleId} ${rawKey(f.entry)}`),
      want,
      'findings.json',
    );

    const ok = await vscode.commands.executeCommand<EvidenceCheck>('zoomOperationLogs.verifyEvidencePack', { folder });
    assert.equal(ok?.ok, true);
    fs.appendFileSync(path.join(folder, 'entries.csv'), 'x,y\r\n');
    const bad = await vscode.commands.executeCommand<EvidenceCheck>('zoomOperationLogs.verifyEvidencePack', {
      folder,
    });
    assert.equal(bad?.ok, false);
    assert.deepEqual(bad?.modified, ['entries.csv']);
    assert.match(bad?.message ?? '', /modified: entries\.csv/);
  });

  it('Export Evidence Pack says what is wrong with a range, a category or a folder, and writes nothing', async () => {
    const folder = path.join(root, 'pack-refused');
    const from = addDays(today, -3);
    const pack = (args: object): Thenable<EvidenceManifest | undefined> =>
      vscode.commands.executeCommand<EvidenceManifest | undefined>('zoomOperationLogs.exportEvidencePack', {
        folder,
        ...args,
      });
    sim.resetLog();
    const refused = await recordMessages(async () => {
      assert.equal(await pack({ from: 'yesterday', to: today }), undefined);
      assert.equal(await pack({ from, to: today, categories: ['user', 'no_such_category'] }), undefined);
    });
    assert.deepEqual(
      refused.map((m) => m.level),
      ['showErrorMessage', 'showErrorMessage'],
    );
    assert.match(refused[0].message, /yesterday/, 'the date as typed is named');
    assert.match(refused[1].message, /^Unknown categories: no_such_category\. Use: user, user_settings, account,/);
    assert.equal(fs.existsSync(folder), false, 'nothing written');
    assert.equal(reportRequests(sim), 0, 'nothing asked of Zoom');

    // A folder that already holds something is left as it is.
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'mine');
    const shown = await recordMessages(async () => assert.equal(await pack({ from, to: today }), undefined));
    // Errors only: an archive opened for the first time may also warn, once a day, about days at risk.
    const notEmpty = shown.filter((m) => m.level === 'showErrorMessage');
    assert.equal(notEmpty.length, 1, JSON.stringify(shown));
    assert.match(
      notEmpty[0].message,
      /^No evidence pack was made: The folder .* already holds files; choose an empty folder/,
    );
    assert.deepEqual(fs.readdirSync(folder), ['notes.txt']);
  });

  it('the tree shows a damaged archived day where its entries would be, and Fetch again repairs it', async () => {
    await synced();
    const archive = await Archive.open(dir);
    const day = Object.entries(archive.manifest.days).find(
      ([d, r]) => r.complete && (r.categories['User'] ?? 0) > 0 && d < addDays(today, -3),
    )?.[0];
    assert.ok(day);
    const file = dayFilePath(dir, day);
    fs.rmSync(file);
    await api.archive.service.archive?.reload();
    const range = { from: addDays(day, -1), to: addDays(day, 1) };
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.fetch', range), true);
    await until('the session', () => api.view.session?.query.from === range.from);
    const userNode = async (): Promise<CategoryNode> => {
      const n = (await children(api)).find(
        (c): c is CategoryNode => c.kind === 'category' && c.log.category === 'user',
      );
      assert.ok(n);
      return n;
    };
    const dateOf = async (): Promise<DateNode> => {
      const d = (await children(api, await userNode())).find((c): c is DateNode => c.kind === 'date' && c.key === day);
      assert.ok(d, `${day} listed from the manifest`);
      return d;
    };
    sim.resetLog();
    const date = await dateOf();
    const shown = await children(api, date);
    assert.deepEqual(
      shown.map((c) => c.kind),
      ['message'],
      'no entries: the message instead',
    );
    const msg = shown[0] as MessageNode;
    const item = api.view.provider.getTreeItem(msg);
    assert.match(String(item.label), new RegExp(`^Archived day ${day}: its file is missing\\.`));
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(item.description, 'Fetch again from Zoom');
    assert.equal(item.command?.command, 'zoomOperationLogs.syncArchive');
    assert.deepEqual(item.command?.arguments, [{ overwriteDamaged: true, account: 'default' }], 'this account');
    assert.equal(description(api, date), '0 · archive damaged');
    assert.equal((api.view.provider.getTreeItem(date).iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(reportRequests(sim), 0, 'the archived day was not asked of Zoom behind the archive’s back');

    // The message's own command: the sync fetches the day again.
    const result = await vscode.commands.executeCommand<SyncResult | undefined>(
      item.command!.command,
      ...(item.command!.arguments ?? []),
    );
    assert.deepEqual(result?.damagedDays, []);
    assert.ok(fs.existsSync(file));
    const before = api.view.session;
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.fetch', range), true);
    await until('the new session', () => api.view.session !== before);
    const again = await dateOf();
    const entries = (await children(api, again)).filter((c): c is EntryNode => c.kind === 'entry');
    sameMultiset(
      entries.map((e) => rawKey(toRawEntry(e.entry))),
      sim
        .expected({ from: day, to: day })
        .filter((e) => categoryKey(e.category_type) === 'user')
        .map(rawKey),
      'the repaired day',
    );
    assert.equal(description(api, again), String(entries.length));
  });

  it('an archive folder setting that is not a full path: Sync Archive says so and writes nothing; ~ works', async () => {
    await setSetting('archiveFolder', 'zoom-archive-relative');
    await until('the old folder is closed', () => api.archive.service.archive === undefined);
    const shown = await recordMessages(() => vscode.commands.executeCommand('zoomOperationLogs.syncArchive'));
    assert.ok(
      shown.some((m) =>
        m.message.startsWith(
          "The archive was not synced: The setting zoomOperationLogs.archiveFolder is 'zoom-archive-relative', which is not a full path; write one such as",
        ),
      ),
      JSON.stringify(shown),
    );
    assert.ok(!fs.existsSync(path.resolve('zoom-archive-relative')), 'nothing written relative to the process');
    // `~` is the home folder; a folder under it is used as typed.
    const home = os.homedir();
    const under = fs.mkdtempSync(path.join(home, '.zoom-archive-it-'));
    try {
      await setSetting('archiveFolder', `~/${path.basename(under)}`);
      await until('the archive under the home folder is open', () =>
        (api.archive.service.archive?.dir ?? '').startsWith(under),
      );
    } finally {
      await setSetting('archiveFolder', root);
      fs.rmSync(under, { recursive: true, force: true });
    }
    await until('the archive is back', () => api.archive.service.archive?.dir === dir);
  });

  it('the tree reads an archived range older than six months from the archive: 0 requests', async () => {
    // An archive made eight months ago by another account (named "old-account").
    const then = Date.now() - 250 * DAY_MS;
    const old = await startSimulator({ seed: 4, entries: 2000, now: then, rps: 0 });
    try {
      const client = new ZoomClient({
        apiBaseUrl: old.apiBaseUrl,
        tokens: new StaticTokenSource(old.token),
        limiter: new RateLimiter(1000),
        timeoutMs: 5000,
      });
      const oldDir = accountArchiveDir(root, 'name:old-account');
      await (await Archive.open(oldDir, { now: () => old.clock.now() })).sync(client);
      await api.context.globalState.update(STATE_KEYS.archiveAccountName, 'old-account');
      await api.archive.service.open(false);
      assert.equal(api.archive.service.archive?.dir, oldDir);

      const to = todayUtc(then);
      const from = addDays(to, -20);
      assert.ok(to < horizonStart(today), 'older than six months');
      sim.resetLog();
      assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from, to }), true);
      await until('the archived session', () => api.view.session?.query.from === from);
      assert.equal(api.view.session?.source, 'archive');
      assert.match(api.view.treeView.description ?? '', /from the archive/);
      const roots = await children(api);
      const expected = old.expected({ from, to });
      for (const node of roots.filter((n): n is CategoryNode => n.kind === 'category')) {
        const n = expected.filter((e) => categoryKey(e.category_type) === node.log.category).length;
        assert.equal(description(api, node), n ? String(n) : 'no entries', label(api, node));
      }
      const user = roots.find((n): n is CategoryNode => n.kind === 'category' && n.log.category === 'user');
      assert.ok(user);
      const dates = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
      assert.ok(dates.length > 0);
      const entries = (await children(api, dates[0])) as EntryNode[];
      assert.deepEqual(
        entries.map((e) => rawKey(toRawEntry(e.entry))).sort(),
        expected
          .filter((e) => categoryKey(e.category_type) === 'user' && e.time.startsWith(dates[0].key))
          .map(rawKey)
          .sort(),
      );
      assert.equal(reportRequests(sim), 0, 'no request to Zoom for archived days older than six months');
      assert.equal(
        await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: addDays(from, -400), to }),
        false,
        'older than the archive: refused',
      );
    } finally {
      await old.close();
    }
  });
});
