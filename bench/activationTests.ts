// extensionTests module for the activation benchmark: runs inside VS Code's extension
// host (code-server), started by bench/activationHost.ts. Measures the first
// activation of the extension under development and prints, through console.log
// (forwarded by the host as codeAutomationLog):
//   BENCH-ACTIVATION {"ms":..., "bundles":[...], "wasActive":false, ...}     right after activate()
//   BENCH-ACTIVATION-SETTLED {}                              one second later
import * as vscode from 'vscode';

const EXTENSION_ID = 'zoom-oplogs.zoom-operation-logs';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    console.log(`BENCH-ACTIVATION ${JSON.stringify({ error: `${EXTENSION_ID} not installed` })}`);
    return;
  }
  const wasActive = ext.isActive;
  const apiBaseUrl = vscode.workspace.getConfiguration('zoomOperationLogs').get<string>('apiBaseUrl');
  const t = performance.now();
  await ext.activate();
  const ms = performance.now() - t;
  // The extension's own share: the time inside its activate() (the rest is VS Code loading the module and
  // making the extension's context).
  const bodyMs = (ext.exports as { activateMs?: unknown } | undefined)?.activateMs;
  // The extension's own bundles read by then: only dist/extension.js (the others load on first use).
  const bundles = Object.keys(require.cache)
    .filter((f) => f.startsWith(ext.extensionPath) && /[\\/]dist[\\/][^\\/]+\.js$/.test(f))
    .map((f) => f.slice(ext.extensionPath.length + 1).replace(/\\/g, '/'))
    .sort();
  console.log(
    `BENCH-ACTIVATION ${JSON.stringify({ ms, bodyMs, bundles, wasActive, apiBaseUrl, vscode: vscode.version, node: process.version })}`,
  );
  await new Promise((r) => setTimeout(r, 1000));
  console.log('BENCH-ACTIVATION-SETTLED {}');
}
