// Runs the same integration suite under @vscode/test-electron, which downloads a
// VS Code build (needs internet and a display, e.g. xvfb-run). Not used by npm test:
// here the suite runs in code-server instead (runIntegration.ts).
//   node esbuild.js --tests && node out/test/host/electron.js
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from './codeServer';

export async function runElectron(version?: string): Promise<number> {
  const extensionDevelopmentPath = repoRoot();
  const extensionTestsPath = path.join(extensionDevelopmentPath, 'out', 'test', 'integration', 'index');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-oplogs-ws-'));
  try {
    return await runTests({
      ...(version ? { version } : {}),
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: ['--disable-extensions', '--disable-workspace-trust', workspace],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runElectron(process.env.VSCODE_TEST_VERSION)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e: unknown) => {
      console.error('test-electron run failed:', e instanceof Error ? e.message : e);
      process.exitCode = 1;
    });
}
