// Inside VS Code against the simulator: an export larger than the `maxExportInEditorMB` setting is not opened in
// an editor tab (nor built as one string) but saved to a file the person chooses, and nothing else changes.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/commands/export';
import { COMMANDS } from '../../src/commands/ids';
import type { TestApi } from '../../src/extension';
import { parseCsv } from '../../src/export/formats';
import type { DateNode } from '../../src/views/nodes';
import { horizonStart, todayUtc } from '../../src/zoom';
import type { SimEntry, Simulator } from '../simulator';
import {
  children,
  extensionApi,
  rawKey,
  recordMessages,
  resetSettings,
  setSetting,
  simulatorForExtension,
} from './support/harness';

describe('Exports too large for an editor tab', function () {
  this.timeout(120_000);
  let api: TestApi;
  let sim: Simulator;
  let dir: string;
  const today = todayUtc(Date.now());
  const from = horizonStart(today);
  let want: string[];

  before(async () => {
    api = await extensionApi();
    // 14,000 entries are about 4.2 MB as JSON, and their findings report about 1.3 MB of Markdown: over a limit of 1 MB.
    sim = await simulatorForExtension({ entries: 14_000, seed: 31 }, { maxExportInEditorMB: 1 });
    assert.equal(await vscode.commands.executeCommand(COMMANDS.setToken, sim.token), true);
    assert.equal(await vscode.commands.executeCommand(COMMANDS.fetch, { from, to: today }), true);
    want = sim.expected({ from, to: today }).map(rawKey).sort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-large-export-'));
  });
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));
  after(async () => {
    await vscode.commands.executeCommand(COMMANDS.signOut);
    await sim.close();
    await resetSettings();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const untitled = (): number => vscode.workspace.textDocuments.filter((d) => d.isUntitled).length;

  it('saved to the file given: every entry once, newest first, the same text a tab would hold; no tab, no temp file', async () => {
    const file = path.join(dir, 'all.json');
    fs.writeFileSync(file, 'an older export of that name');
    const tabs = untitled();
    const got = (await vscode.commands.executeCommand(COMMANDS.export, {
      format: 'json',
      saveTo: file,
    })) as ExportResult;
    assert.ok(got, 'the export finished');
    assert.equal(got.file, file);
    assert.equal(got.document, undefined, 'no editor tab');
    assert.equal(untitled(), tabs, 'no untitled document was opened');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.length > 1024 * 1024, `over the limit (${text.length} characters)`);
    const rows = JSON.parse(text) as SimEntry[];
    assert.equal(got.entries, rows.length);
    assert.deepEqual(rows.map(rawKey).sort(), want);
    const times = rows.map((e) => e.time);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.includes('.tmp-')),
      [],
    );

    // The same export with a limit it fits in opens a tab with exactly that text.
    await setSetting('maxExportInEditorMB', 64);
    try {
      const tab = (await vscode.commands.executeCommand(COMMANDS.export, { format: 'json' })) as ExportResult;
      assert.equal(tab.document!.getText(), text);
    } finally {
      await setSetting('maxExportInEditorMB', 1);
    }
  });

  it('asks first, naming the limit and the setting; declining writes and opens nothing', async () => {
    const tabs = untitled();
    let got: unknown = 'not returned';
    const shown = await recordMessages(async () => {
      got = await vscode.commands.executeCommand(COMMANDS.export, { format: 'csv' });
    });
    assert.equal(got, undefined);
    assert.equal(untitled(), tabs);
    const question = shown.find((m) => m.level === 'showWarningMessage');
    assert.ok(question, `a question, got ${JSON.stringify(shown)}`);
    assert.match(
      question.message,
      /^The export of [\d,]+ entries \(.*\) as CSV is more than 1 MB of text, too large for an editor tab\.$/,
    );
    assert.deepEqual(
      shown.filter((m) => m.level === 'showErrorMessage'),
      [],
    );
    // Declined: a notice says so and offers to save after all (the entries are kept until it is dismissed).
    assert.match(
      shown.filter((m) => m.level === 'showWarningMessage')[1]?.message ?? '',
      /^The export of [\d,]+ entries \(.*\) as CSV was not saved\.$/,
    );
  });

  it('a write that fails (a folder gone) offers Save to File... again: the same entries, no second fetch', async () => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = { warn: w.showWarningMessage, dialog: w.showSaveDialog, error: w.showErrorMessage };
    const good = path.join(dir, 'second-try.csv');
    const targets = [vscode.Uri.file(path.join(dir, 'gone', 'x.csv')), vscode.Uri.file(good)];
    const errors: string[] = [];
    let dialogs = 0;
    w.showWarningMessage = (_m: string, _o: unknown, button: string) => Promise.resolve(button);
    w.showSaveDialog = () => Promise.resolve(targets[dialogs++]);
    w.showErrorMessage = (m: string, button: string) => {
      errors.push(m);
      return Promise.resolve(button);
    };
    try {
      const before = sim.requests.length;
      const got = (await vscode.commands.executeCommand(COMMANDS.export, { format: 'csv' })) as ExportResult;
      const requests = sim.requests.length - before;
      assert.ok(requests > 0, 'the export asked Zoom');
      assert.equal(got.file, good);
      assert.equal(dialogs, 2, 'the save dialog twice');
      assert.equal(errors.length, 1);
      assert.match(errors[0], /^The export was not saved: the folder .*gone does not exist \(ENOENT\)/);
      assert.equal(parseCsv(fs.readFileSync(good, 'utf8')).length - 1, want.length);
      // A plain export of the same query asks Zoom as often: the second try fetched nothing more.
      dialogs = 1;
      const again = sim.requests.length;
      await vscode.commands.executeCommand(COMMANDS.export, { format: 'csv' });
      assert.equal(sim.requests.length - again, requests);
    } finally {
      Object.assign(w, { showWarningMessage: saved.warn, showSaveDialog: saved.dialog, showErrorMessage: saved.error });
    }
  });

  it('"Save to File..." and a file chosen in the save dialog: the CSV holds every entry; an unwritable place says so', async () => {
    const w = vscode.window as unknown as Record<string, unknown>;
    const saved = { warn: w.showWarningMessage, dialog: w.showSaveDialog, error: w.showErrorMessage };
    const file = path.join(dir, 'chosen.csv');
    let dialogDefault: vscode.Uri | undefined;
    let target = vscode.Uri.file(file);
    const errors: string[] = [];
    w.showWarningMessage = (_m: string, _o: unknown, button: string) => Promise.resolve(button);
    w.showSaveDialog = (o: vscode.SaveDialogOptions) => {
      dialogDefault = o.defaultUri;
      return Promise.resolve(target);
    };
    w.showErrorMessage = (m: string) => {
      errors.push(m);
      return Promise.resolve(undefined);
    };
    try {
      const got = (await vscode.commands.executeCommand(COMMANDS.export, { format: 'csv' })) as ExportResult;
      assert.equal(got.file, file);
      assert.match(path.basename(dialogDefault!.fsPath), new RegExp(`^zoom-operation-logs-${from}_${today}\\.csv$`));
      const rows = parseCsv(fs.readFileSync(file, 'utf8'));
      assert.deepEqual(rows[0], ['time', 'operator', 'category_type', 'action', 'operation_detail']);
      assert.equal(rows.length - 1, want.length);

      // A folder that does not exist: the error says the export was not saved and why; nothing is made.
      target = vscode.Uri.file(path.join(dir, 'no-such-folder', 'x.csv'));
      const none = await vscode.commands.executeCommand(COMMANDS.export, { format: 'csv' });
      assert.equal(none, undefined);
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(
        errors[0],
        /^The export was not saved: the folder .*no-such-folder does not exist \(ENOENT\)\. Choose a folder that exists\.$/,
      );
      assert.ok(!fs.existsSync(path.join(dir, 'no-such-folder')));
    } finally {
      Object.assign(w, { showWarningMessage: saved.warn, showSaveDialog: saved.dialog, showErrorMessage: saved.error });
    }
  });

  it('a findings report over the limit is written to the file in pieces: the same text a tab would hold', async () => {
    assert.ok(await vscode.commands.executeCommand(COMMANDS.scanRange), 'the range was scanned');
    const file = path.join(dir, 'findings.md');
    const tabs = untitled();
    const got = (await vscode.commands.executeCommand(COMMANDS.exportFindings, {
      format: 'markdown',
      saveTo: file,
    })) as { file?: string; document?: vscode.TextDocument; findings: number } | undefined;
    assert.ok(got, 'the report finished');
    assert.equal(got.file, file, `saved to the file (${got.findings} findings)`);
    assert.equal(untitled(), tabs, 'no editor tab');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.length > 1024 * 1024, `over the limit (${text.length} characters, ${got.findings} findings)`);
    assert.equal((text.match(/^### \d+\. /gm) ?? []).length, got.findings, 'every finding once');
    // With a limit it fits in, the tab holds the same text (but for the time it was made).
    await setSetting('maxExportInEditorMB', 64);
    try {
      const tab = (await vscode.commands.executeCommand(COMMANDS.exportFindings, { format: 'markdown' })) as {
        document?: vscode.TextDocument;
      };
      const generated = /^- Generated: .*$/m;
      assert.equal(tab.document!.getText().replace(generated, ''), text.replace(generated, ''));
    } finally {
      await setSetting('maxExportInEditorMB', 1);
    }
  });

  it('a date node under the limit still opens in a tab', async () => {
    const [user] = api.view.provider.categoryNodes;
    const [date] = (await children(api, user)).filter((n): n is DateNode => n.kind === 'date');
    const got = (await vscode.commands.executeCommand(COMMANDS.exportNode, date, { format: 'json' })) as ExportResult;
    assert.ok(got.document, 'a tab');
    assert.equal((JSON.parse(got.document.getText()) as unknown[]).length, got.entries);
  });
});
