// Several Zoom accounts (profiles) inside VS Code, against a simulator serving two accounts with
// different data, tokens and S2S apps: one tree root per account, each showing only its account's
// entries; tokens never cross; removing an account removes its secrets and nothing else; a
// single-account install is migrated with its credentials.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import type { TestApi } from '../../src/extension';
import { LEGACY_SECRET_KEY, secretKeyOf } from '../../src/auth/profileModel';
import { Accounts } from '../../src/services/accounts';
import { STATE_KEYS } from '../../src/config/keys';
import type { AccountNode, CategoryNode, EntryNode, LogTreeNode } from '../../src/views/nodes';
import type { ViewNode } from '../../src/views/logView';
import { addDays, CATEGORIES, todayUtc, toRawEntry } from '../../src/zoom';
import type { SimAccount, Simulator } from '../simulator';
import { extensionApi, rawKey, resetSettings, simulatorForExtension, until } from './support/harness';

/** An in-memory Memento: a globalState of an install that never ran this version. */
class MemoryState implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
  setKeysForSync(): void {
    // Nothing syncs in a test.
  }
}

describe('Several Zoom accounts (profiles) against two simulated accounts', function () {
  this.timeout(90_000);
  let api: TestApi;
  let sim: Simulator;
  let alpha: SimAccount;
  let beta: SimAccount;
  const today = todayUtc(Date.now());
  const from = addDays(today, -20);

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({
      accounts: [
        { id: 'AcctAlpha', seed: 11, entries: 600 },
        { id: 'AcctBeta', seed: 12, entries: 600 },
      ],
    });
    [alpha, beta] = sim.accounts;
    await api.accounts.ready;
  });

  after(async () => {
    for (const a of [...api.accounts.all].slice(1)) await api.accounts.remove(a);
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await resetSettings();
    await sim.close();
  });

  /**
   * Two profiles, Alpha (a token) and Beta (Server-to-Server OAuth), each showing the range: made once, by the first
   * test that needs them (each test stands alone: a grep may run one).
   */
  let profiles: Promise<{ id: string; name: string }> | undefined;
  const twoProfiles = (): Promise<{ id: string; name: string }> =>
    (profiles ??= (async () => {
      assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.setToken', alpha.token), true);
      await vscode.commands.executeCommand('zoomOperationLogs.renameAccount', undefined, 'Alpha');
      const added = await vscode.commands.executeCommand<{ id: string; name: string }>('zoomOperationLogs.addAccount', {
        name: 'Beta',
        apiBaseUrl: beta.apiBaseUrl,
        oauthBaseUrl: beta.oauthBaseUrl,
        signIn: false,
      });
      assert.equal(added?.name, 'Beta');
      assert.equal(
        await vscode.commands.executeCommand('zoomOperationLogs.signInS2S', { ...beta.s2s, account: 'Beta' }),
        true,
      );
      for (const name of ['Alpha', 'Beta']) {
        assert.equal(
          await vscode.commands.executeCommand('zoomOperationLogs.fetch', {
            from,
            to: today,
            categories: [...CATEGORIES],
            account: name,
          }),
          true,
        );
      }
      return added;
    })());

  async function roots(): Promise<ViewNode[]> {
    return api.view.getChildren(undefined);
  }

  /** Every entry the account's tree shows for one category, after loading all its pages. */
  async function entriesShown(account: AccountNode, category: string): Promise<string[]> {
    const view = api.view.ownerOf(account);
    assert.ok(view);
    const cats = (await api.view.getChildren(account)) as LogTreeNode[];
    const node = cats.find((n): n is CategoryNode => n.kind === 'category' && n.log.category === category);
    assert.ok(node, `category ${category} under ${account.summary.name}`);
    await node.log.loadAll();
    const keys: string[] = [];
    for (const date of await api.view.getChildren(node)) {
      if (date.kind !== 'date') continue;
      date.limit = Number.MAX_SAFE_INTEGER;
      for (const e of await api.view.getChildren(date)) {
        if (e.kind === 'entry') keys.push(rawKey(toRawEntry((e as EntryNode).entry)));
      }
    }
    return keys.sort();
  }

  it('the running extension migrated this install to one profile that uses the old secret key', () => {
    assert.equal(api.accounts.all.length, 1);
    assert.equal(api.accounts.all[0].id, 'default');
    assert.equal(api.accounts.all[0].credentials.key, LEGACY_SECRET_KEY);
    const stored = api.context.globalState.get<{ id: string }[]>(STATE_KEYS.profiles);
    assert.deepEqual(
      stored?.map((p) => p.id),
      ['default'],
    );
  });

  it('migration of a single-account install keeps the credentials and names the profile (never after a credential)', async () => {
    // What an install of the single-account versions has: credentials under the old key, no profile list.
    await api.secrets.store(LEGACY_SECRET_KEY, JSON.stringify({ kind: 's2s', ...alpha.s2s }));
    const state = new MemoryState();
    const migrated = new Accounts({ globalState: state, secrets: api.secrets }, api.settings, api.log);
    try {
      await migrated.ready;
      assert.equal(migrated.all.length, 1);
      assert.equal(migrated.all[0].name, 'Zoom account');
      assert.deepEqual(await migrated.all[0].credentials.get(), { kind: 's2s', ...alpha.s2s });
      assert.deepEqual(JSON.parse((await api.secrets.get(LEGACY_SECRET_KEY)) ?? '{}'), { kind: 's2s', ...alpha.s2s });
      assert.deepEqual(
        state.get<{ id: string; name: string }[]>(STATE_KEYS.profiles)?.map((p) => [p.id, p.name]),
        [['default', 'Zoom account']],
      );
      const stored = JSON.stringify(state.get(STATE_KEYS.profiles));
      for (const secret of Object.values(alpha.s2s)) assert.ok(!stored.includes(secret), 'no credential in the list');
    } finally {
      migrated.dispose();
    }

    // A token install whose archive was named keeps that name.
    await api.secrets.store(LEGACY_SECRET_KEY, JSON.stringify({ kind: 'token', token: alpha.token }));
    const tokenState = new MemoryState();
    await tokenState.update(STATE_KEYS.archiveAccountName, 'acme-production');
    const tokenInstall = new Accounts({ globalState: tokenState, secrets: api.secrets }, api.settings, api.log);
    try {
      await tokenInstall.ready;
      assert.equal(tokenInstall.all[0].name, 'acme-production');
      assert.deepEqual(await tokenInstall.all[0].credentials.get(), { kind: 'token', token: alpha.token });
    } finally {
      tokenInstall.dispose();
    }
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
  });

  it('two profiles: one root each, each tree shows only its own account’s entries, tokens never cross', async () => {
    const added = await twoProfiles();

    // Secrets: each account under its own key.
    assert.deepEqual(JSON.parse((await api.secrets.get(LEGACY_SECRET_KEY)) ?? '{}'), {
      kind: 'token',
      token: alpha.token,
    });
    assert.deepEqual(JSON.parse((await api.secrets.get(secretKeyOf(added.id))) ?? '{}'), {
      kind: 's2s',
      ...beta.s2s,
    });
    // One rate limiter per account.
    const [a, b] = api.accounts.all;
    assert.notEqual(a.zoom.limiter, b.zoom.limiter);

    await until('two account roots', async () => (await roots()).length === 2);
    const [ra, rb] = (await roots()) as AccountNode[];
    assert.deepEqual([ra.kind, ra.summary.name, rb.kind, rb.summary.name], ['account', 'Alpha', 'account', 'Beta']);
    assert.equal(api.view.getTreeItem(ra).label, 'Alpha');
    assert.equal(api.view.getTreeItem(rb).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);

    const key = (e: Parameters<typeof rawKey>[0]): string => rawKey(e);
    const expectA = alpha.expected({ from, to: today, category: 'user' }).map(key).sort();
    const expectB = beta.expected({ from, to: today, category: 'user' }).map(key).sort();
    assert.ok(expectA.length > 0 && expectB.length > 0, 'both accounts have User entries in the range');
    assert.deepEqual(await entriesShown(ra, 'user'), expectA, "Alpha's tree: exactly Alpha's entries");
    assert.deepEqual(await entriesShown(rb, 'user'), expectB, "Beta's tree: exactly Beta's entries");

    // Exports name their account and hold only its entries.
    const exported = await vscode.commands.executeCommand<ExportResult>('zoomOperationLogs.export', {
      format: 'json',
      account: 'Beta',
    });
    assert.equal(exported?.account, 'Beta');
    const betaAll = beta.expected({ from, to: today, category: 'all' }).map(key).sort();
    const inExport = (JSON.parse(exported.document!.getText()) as Parameters<typeof rawKey>[0][]).map(key).sort();
    assert.deepEqual(inExport, betaAll);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Requests went to each account's own paths with its own credentials, and nothing crossed.
    assert.ok(sim.requests.some((r) => r.account === 'AcctAlpha' && r.path.endsWith('/report/operationlogs')));
    assert.ok(sim.requests.some((r) => r.account === 'AcctBeta' && r.path.endsWith('/report/operationlogs')));
    assert.deepEqual(sim.crossAccountAttempts(), []);

    // The check is real: Beta's token on Alpha's path is refused and recorded.
    const betaToken = (await b.zoom.tokenSource({ kind: 's2s', ...beta.s2s }).get()).token;
    const crossed = await fetch(`${alpha.apiBaseUrl}/report/operationlogs?from=${today}&to=${today}`, {
      headers: { authorization: `Bearer ${betaToken}` },
    });
    assert.equal(crossed.status, 401);
    assert.equal(sim.crossAccountAttempts().length, 1);
  });

  it('commands act on the account of the node; renaming keeps credentials and redraws the root', async () => {
    await twoProfiles();
    await until('two account roots', async () => (await roots()).length === 2);
    const [, rb] = (await roots()) as AccountNode[];
    await vscode.commands.executeCommand('zoomOperationLogs.filter', 'operator:nobody-matches-this', {
      account: 'Beta',
    });
    assert.equal(api.view.of('Beta')?.session?.filter, 'operator:nobody-matches-this');
    assert.equal(api.view.of('Alpha')?.session?.filter, '', 'the other account keeps its filter');
    await vscode.commands.executeCommand('zoomOperationLogs.clearFilter', rb);
    assert.equal(api.view.of('Beta')?.session?.filter, '');

    // Findings follow the active account and keep each account's scan.
    const scanned = await vscode.commands.executeCommand<{ entries: number }>('zoomOperationLogs.scanRange', {
      account: 'Beta',
    });
    assert.equal(scanned?.entries, beta.expected({ from, to: today, category: 'all' }).length);
    assert.equal(api.findings.treeView.description, 'Beta');
    assert.equal(api.insights.scan?.entries, scanned.entries);
    api.accounts.setActive(api.accounts.find('Alpha')!);
    assert.equal(api.findings.treeView.description, 'Alpha');
    assert.equal(api.insights.scan, undefined, "Alpha's range was not scanned");
    api.accounts.setActive(api.accounts.find('Beta')!);
    // A function call, so TypeScript does not keep the `undefined` it narrowed the getter to above.
    const scanNow = (): { entries: number } | undefined => api.insights.scan;
    assert.equal(scanNow()?.entries, scanned.entries, "Beta's scan is still there");

    const id = api.accounts.find('Beta')?.id ?? '';
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.renameAccount', rb, 'Beta EU'), true);
    assert.equal(api.accounts.find(id)?.name, 'Beta EU');
    await until(
      'the root shows the new name',
      async () => api.view.getTreeItem(((await roots()) as AccountNode[])[1]).label === 'Beta EU',
    );
    assert.deepEqual(JSON.parse((await api.secrets.get(secretKeyOf(id))) ?? '{}'), { kind: 's2s', ...beta.s2s });
    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.renameAccount', rb, 'alpha'),
      false,
      'a name another account has is refused',
    );
  });

  it('removing a profile removes its secrets and nothing else', async () => {
    await twoProfiles();
    // Renamed by the test before when the whole suite runs.
    const beta2 = api.accounts.find('Beta EU') ?? api.accounts.find('Beta');
    assert.ok(beta2);
    const settingsBefore = JSON.stringify(api.settings.current);
    assert.equal(
      await vscode.commands.executeCommand(
        'zoomOperationLogs.removeAccount',
        { account: beta2.id },
        { confirm: false },
      ),
      true,
    );
    assert.equal(await api.secrets.get(secretKeyOf(beta2.id)), undefined, "Beta's secret is gone");
    assert.deepEqual(JSON.parse((await api.secrets.get(LEGACY_SECRET_KEY)) ?? '{}'), {
      kind: 'token',
      token: alpha.token,
    });
    assert.equal(JSON.stringify(api.settings.current), settingsBefore, 'settings untouched');
    assert.deepEqual(
      api.context.globalState.get<{ name: string }[]>(STATE_KEYS.profiles)?.map((p) => p.name),
      ['Alpha'],
    );
    // One account again: the tree is that account's tree, without a root per account.
    await until('one account: categories at the root', async () => (await roots()).every((n) => n.kind !== 'account'));
    assert.ok((await roots()).some((n) => n.kind === 'category'));
  });

  it('removing the last account leaves one empty, signed-out account that works when signed in again', async () => {
    const last = api.accounts.all[0];
    assert.equal(
      await vscode.commands.executeCommand('zoomOperationLogs.removeAccount', last, { confirm: false }),
      true,
    );
    assert.equal(await api.secrets.get(LEGACY_SECRET_KEY), undefined);
    assert.equal(api.accounts.all.length, 1);
    assert.notEqual(api.accounts.all[0], last, 'a new account object');
    assert.equal(api.accounts.all[0].name, 'Zoom account');
    await until('an empty tree (the welcome view)', async () => (await roots()).length === 0);
    // The new account has its own view and archive, not the removed one's.
    assert.equal(await vscode.commands.executeCommand('zoomOperationLogs.setToken', alpha.token), true);
    await until('the default range shown again', async () => (await roots()).some((n) => n.kind === 'category'));
    assert.equal(api.view.active.account, api.accounts.all[0]);
    assert.equal(api.archive.service.account, api.accounts.all[0]);
  });
});
