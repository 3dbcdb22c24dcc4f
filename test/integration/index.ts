// Entry point of the integration suite, loaded by VS Code's extension host in
// either test host: code-server in Chromium (test/host/runIntegration.ts, used by
// npm test) or @vscode/test-electron (test/host/electron.ts). It runs every
// *.test.js beside it (recursively) with mocha (bdd: describe/it) and logs one line
//   INTEGRATION-RESULT {"passed":N,"failed":M,"vscode":"1.100.3"}
// which the code-server host parses. Only console.log is used for output: that is
// what both hosts forward.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => {
      const p = path.join(dir, d.name);
      return d.isDirectory() ? findTests(p) : d.name.endsWith('.test.js') ? [p] : [];
    })
    .sort();
}

/**
 * A spec-like reporter that only calls console.log with finished strings: under
 * code-server the console is forwarded line by line without printf formatting or a
 * TTY, so mocha's own reporters would print "%s" and colour codes there.
 */
class PlainSpecReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let depth = 0;
    const failures: { title: string; err: Error & { actual?: unknown; expected?: unknown } }[] = [];
    const pad = () => '  '.repeat(depth);
    runner.on('suite', (suite: Mocha.Suite) => {
      depth++;
      if (suite.title) console.log(`${pad()}${suite.title}`);
    });
    runner.on('suite end', () => depth--);
    runner.on('pass', (test: Mocha.Test) => console.log(`${pad()}  ✔ ${test.title} (${test.duration ?? 0} ms)`));
    runner.on('pending', (test: Mocha.Test) => console.log(`${pad()}  - ${test.title} (pending)`));
    runner.on('fail', (test: Mocha.Test, err: Error) => {
      failures.push({ title: test.fullTitle(), err });
      console.log(`${pad()}  ✘ ${failures.length}) ${test.title}`);
    });
    runner.once('end', () => {
      const s = runner.stats;
      console.log(
        `${s?.passes ?? 0} passing, ${s?.failures ?? 0} failing, ${s?.pending ?? 0} pending (${s?.duration ?? 0} ms)`,
      );
      failures.forEach(({ title, err }, i) => {
        console.log(`  ${i + 1}) ${title}:`);
        console.log(`     ${err.stack ?? err.message}`.split('\n').join('\n     '));
        if ('expected' in err || 'actual' in err) {
          console.log(`     expected: ${JSON.stringify(err.expected)}\n     actual:   ${JSON.stringify(err.actual)}`);
        }
      });
    });
  }
}

export async function run(): Promise<void> {
  console.log(
    `vscode.version ${vscode.version} (${vscode.env.appName}, remoteName ${vscode.env.remoteName ?? 'none'}, node ${process.version})`,
  );
  // INTEGRATION_GREP runs only the tests whose full title matches (for working on one feature). INTEGRATION_LIST
  // runs nothing (mocha's dry run) and prints each test's full title, one `INTEGRATION-TEST "title"` line each, for
  // scripts/isolation.mjs, which then runs every test alone.
  const list = !!process.env.INTEGRATION_LIST;
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: PlainSpecReporter,
    dryRun: list,
    ...(process.env.INTEGRATION_GREP ? { grep: process.env.INTEGRATION_GREP } : {}),
  });
  const files = findTests(__dirname);
  for (const f of files) mocha.addFile(f);
  console.log(`integration: ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  let passed = 0;
  let failed = 0;
  try {
    await mocha.loadFilesAsync();
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (test: Mocha.Test) => {
        passed++;
        if (list) console.log(`INTEGRATION-TEST ${JSON.stringify(test.fullTitle())}`);
      });
      runner.on('fail', () => failed++);
    });
  } catch (e) {
    console.error(`integration: the suite crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    failed++;
  }
  if (files.length === 0) {
    console.error('integration: no *.test.js files found');
    failed++;
  }
  console.log(`INTEGRATION-RESULT ${JSON.stringify({ passed, failed, vscode: vscode.version })}`);
  if (failed > 0) throw new Error(`${failed} integration test(s) failed`);
}
