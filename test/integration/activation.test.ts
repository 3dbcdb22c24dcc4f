// Runs inside VS Code (code-server's extension host or test-electron's).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'zoom-oplogs.zoom-operation-logs';

interface ContributedCommand {
  command: string;
  title?: string;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in the test host`);
  return ext;
}

/**
 * The SecretStorage the extension exposes. Assumed API: activate() returns an object
 * with `secrets: vscode.SecretStorage`; `context.secrets` is accepted as a fallback.
 */
function secretsOf(api: unknown): vscode.SecretStorage | undefined {
  const a = api as { secrets?: vscode.SecretStorage; context?: { secrets?: vscode.SecretStorage } } | undefined;
  return a?.secrets ?? a?.context?.secrets;
}

describe('Extension activation', () => {
  let api: unknown;

  before(async () => {
    api = await extension().activate();
  });

  it('activates and returns its API', () => {
    assert.equal(extension().isActive, true);
    assert.ok(api && typeof api === 'object', 'activate() should return an API object');
  });

  it('registers every command contributed in package.json', async () => {
    const pkg = extension().packageJSON as { contributes?: { commands?: ContributedCommand[] } };
    const contributed = (pkg.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    for (const id of contributed) {
      assert.match(id, /^zoomOperationLogs\./, `command ${id} should use the zoomOperationLogs. prefix`);
    }
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the zoom view container with the logs view', async () => {
    const pkg = extension().packageJSON as {
      contributes?: { viewsContainers?: Record<string, { id: string }[]>; views?: Record<string, { id: string }[]> };
    };
    const containers = Object.values(pkg.contributes?.viewsContainers ?? {})
      .flat()
      .map((c) => c.id);
    assert.ok(containers.includes('zoom'), `view containers: ${containers.join(', ')}`);
    const views = (pkg.contributes?.views?.zoom ?? []).map((v) => v.id);
    assert.ok(views.includes('zoomOperationLogs.logs'), `views in zoom: ${views.join(', ')}`);
    // Opening the container must not throw (VS Code registers this command per container).
    await vscode.commands.executeCommand('workbench.view.extension.zoom');
  });

  it('round-trips a secret through SecretStorage', async () => {
    const secrets = secretsOf(api);
    assert.ok(secrets, 'activate() should return { secrets: vscode.SecretStorage }');
    const key = `zoomOperationLogs.integrationTest.${Date.now()}`;
    const value = `s3cr3t-${Math.random().toString(36).slice(2)}`;
    const changed = new Promise<string>((resolve) => {
      const sub = secrets.onDidChange((e) => {
        if (e.key === key) {
          sub.dispose();
          resolve(e.key);
        }
      });
    });
    await secrets.store(key, value);
    assert.equal(await secrets.get(key), value);
    assert.equal(await changed, key);
    await secrets.delete(key);
    assert.equal(await secrets.get(key), undefined);
  });
});
