// Inside VS Code: each Getting Started step completes on a context key that its command sets when it
// succeeds (and only then). The keys are read by recording the extension's `setContext` calls: the
// test host shares the extension's API object.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import { STATE_KEYS } from '../../src/config/keys';
import { addDays, todayUtc } from '../../src/zoom';
import type { Simulator } from '../simulator';
import { extensionApi, resetSettings, setSetting, simulatorForExtension, until } from './support/harness';

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { walkthroughs: { steps: { id: string; completionEvents: string[] }[] }[] };
};

/** The context keys set to true while `run` runs. */
async function contextsSetBy(run: () => PromiseLike<unknown>): Promise<{ keys: string[]; result: unknown }> {
  const keys: string[] = [];
  const commands = vscode.commands as unknown as { executeCommand: (...a: unknown[]) => Thenable<unknown> };
  const original = commands.executeCommand;
  commands.executeCommand = (id: unknown, ...rest: unknown[]) => {
    if (id === 'setContext' && rest[1] === true) keys.push(String(rest[0]));
    return original.call(vscode.commands, id, ...rest);
  };
  try {
    const result = await run();
    return { keys, result };
  } finally {
    commands.executeCommand = original;
  }
}

describe('Getting Started walkthrough: each step completes when its command succeeds', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator;
  let root: string;
  const today = todayUtc(Date.now());

  before(async () => {
    api = await extensionApi();
    sim = await simulatorForExtension({ entries: 800, seed: 21 });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-walkthrough-it-'));
    await setSetting('archiveFolder', root);
    await api.context.globalState.update(STATE_KEYS.archiveAccountName, 'walkthrough-account');
    // Each test stands alone (a grep may run one): a working token unless the test says otherwise.
    await api.credentials.store({ kind: 'token', token: sim.token });
  });
  after(async () => {
    await vscode.commands.executeCommand('zoomOperationLogs.signOut');
    await api.context.globalState.update(STATE_KEYS.archiveAccountName, undefined);
    await resetSettings();
    await sim.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('every step but the first completes on a context key the extension declares', () => {
    const events = manifest.contributes.walkthroughs[0].steps.flatMap((s) => s.completionEvents);
    const keys = events.filter((e) => e.startsWith('onContext:')).map((e) => e.slice('onContext:'.length));
    assert.deepEqual(
      keys.sort(),
      Object.values(CONTEXT_KEYS)
        .filter((k) => !k.endsWith('.filtered'))
        .sort(),
    );
  });

  it('Check Setup completes its step only when nothing failed', async () => {
    await api.credentials.store({ kind: 's2s', ...sim.s2s, clientSecret: 'wrong' });
    const bad = await contextsSetBy(() =>
      vscode.commands.executeCommand('zoomOperationLogs.checkSetup', { quiet: true }),
    );
    assert.ok(!bad.keys.includes(CONTEXT_KEYS.setupChecked), 'a failed check leaves the step open');
    await api.credentials.store({ kind: 'token', token: sim.token });
    const good = await contextsSetBy(() =>
      vscode.commands.executeCommand('zoomOperationLogs.checkSetup', { quiet: true }),
    );
    assert.ok(good.keys.includes(CONTEXT_KEYS.setupChecked), `set: ${good.keys.join(', ')}`);
  });

  it('Fetch completes its step; a cancelled pick does not', async () => {
    const ok = await contextsSetBy(() =>
      vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: addDays(today, -6), to: today }),
    );
    assert.equal(ok.result, true);
    assert.ok(ok.keys.includes(CONTEXT_KEYS.fetched));
    const bad = await contextsSetBy(() =>
      vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: 'not a date', to: today }),
    );
    assert.equal(bad.result, false);
    assert.ok(!bad.keys.includes(CONTEXT_KEYS.fetched));
  });

  it('Scan Range completes its step', async () => {
    if (!api.view.session) {
      await vscode.commands.executeCommand('zoomOperationLogs.fetch', { from: addDays(today, -6), to: today });
    }
    await until('a session', () => api.view.session !== undefined);
    const scan = await contextsSetBy(() => vscode.commands.executeCommand('zoomOperationLogs.scanRange'));
    assert.ok(scan.result, 'the scan ran');
    assert.ok(scan.keys.includes(CONTEXT_KEYS.scanned));
  });

  it('Sync Archive completes its step', async () => {
    await until('the archive is open', () => api.archive.service.archive !== undefined);
    const sync = await contextsSetBy(() => vscode.commands.executeCommand('zoomOperationLogs.syncArchive'));
    assert.ok(sync.result, 'the sync ran');
    assert.ok(sync.keys.includes(CONTEXT_KEYS.archiveSynced));
  });
});
