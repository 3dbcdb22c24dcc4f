// SecretStorage reports a sign-in a moment after it was stored (and other windows
// report theirs): credentials.onDidChange then fires with unchanged credentials.
// The view must keep the session shown, with its loaded pages.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import type { CategoryNode, LogTreeNode } from '../../src/views/nodes';
import { addDays, todayUtc, type Credentials } from '../../src/zoom';
import type { Simulator } from '../simulator';
import { children, extensionApi, reportRequests, resetSettings, simulatorForExtension } from './support/harness';

const SECRET_KEY = 'zoomOperationLogs.credentials';

describe('A repeated sign-in (SecretStorage echo) keeps the session', function () {
  this.timeout(60_000);
  let api: TestApi;
  let sim: Simulator;
  const today = todayUtc(Date.now());
  const from = addDays(today, -29);

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 3000 }, { pageSize: 20 });
    await vscode.commands.executeCommand(COMMANDS.signOut);
  });
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.signOut);
    await resetSettings();
    await sim.close();
  });

  /** Writes credentials straight to SecretStorage and waits (at most 5 s) for the store to report them. */
  async function writeSecret(c: Credentials): Promise<void> {
    let sub: vscode.Disposable | undefined;
    const reported = new Promise<void>((resolve) => {
      sub = api.credentials.onDidChange(() => resolve());
    });
    await api.secrets.store(SECRET_KEY, JSON.stringify(c));
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000));
    const result = await Promise.race([reported.then(() => 'reported' as const), timeout]);
    sub?.dispose();
    assert.equal(result, 'reported', 'the credential store reported the write');
  }

  /** Signs in with the simulator's token and lets SecretStorage's own report of it arrive (bounded). */
  async function signIn(): Promise<void> {
    let events = 0;
    const sub = api.credentials.onDidChange(() => events++);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setToken, sim.token), true);
    for (let i = 0; i < 60 && events < 2; i++) await new Promise((r) => setTimeout(r, 50));
    sub.dispose();
  }

  async function userWithTwoPages(): Promise<CategoryNode> {
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today, categories: ['user'] }), true);
    const [user] = api.view.provider.categoryNodes;
    await children(api, user);
    await vscode.commands.executeCommand(COMMANDS.loadMore, user);
    assert.equal(user.log.pages, 2, 'two pages loaded');
    return user;
  }

  it('unchanged credentials keep the session and its loaded pages, without a request', async () => {
    await signIn();
    const user = await userWithTwoPages();
    const session = api.view.session;
    const before = reportRequests(sim);

    await writeSecret({ kind: 'token', token: sim.token });

    assert.equal(api.view.session, session, 'the same session is shown');
    assert.equal(api.view.provider.categoryNodes[0], user, 'the same nodes');
    assert.equal(user.log.pages, 2, 'its pages are kept');
    assert.equal(user.log.total, 40);
    assert.equal(reportRequests(sim), before, 'nothing was fetched again');
  });

  it('other credentials still show the query again (control)', async () => {
    await signIn(); // each test stands alone (a grep may run one)
    await userWithTwoPages();
    const session = api.view.session;
    await writeSecret({ kind: 'token', token: `${sim.token}-other` });
    assert.notEqual(api.view.session, session, 'a new session for the new credentials');
    assert.deepEqual(api.view.session?.query, session?.query, 'the same query');
    await writeSecret({ kind: 'token', token: sim.token });
  });

  it('unchanged credentials forget failed loads, so signing in again after a fix tries them again', async () => {
    await signIn(); // each test stands alone (a grep may run one)
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today, categories: ['user'] }), true);
    const session = api.view.session;
    const [user] = api.view.provider.categoryNodes;
    sim.script(...Array.from({ length: 5 }, () => ({ kind: '500' as const })));
    let kids: LogTreeNode[] = await children(api, user);
    assert.ok(user.log.error, `a failure is shown (${kids.map((k) => k.kind).join(',')})`);

    await writeSecret({ kind: 'token', token: sim.token });
    assert.equal(api.view.session, session, 'the same session');
    assert.equal(user.log.error, undefined, 'the failure is forgotten');
    kids = await children(api, user);
    assert.ok(
      kids.some((k) => k.kind === 'date'),
      'expanding again loads the page',
    );
  });
});
