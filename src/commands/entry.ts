import * as vscode from 'vscode';
import { COMMANDS } from './ids';
import type { SettingsStore } from '../config/settings';
import { formatEntryJson } from '../webview/entryJson';
import { panels, panelsIfLoaded } from '../services/panels';
import type { Finding } from '../insights';
import type { OperationLogEntry } from '../zoom';

/** A node holding one entry: the Operation Logs tree's entries and the Findings view's findings. */
function isEntryNode(n: unknown): n is { kind: 'entry' | 'finding'; entry: OperationLogEntry } {
  if (!n || typeof n !== 'object') return false;
  const kind = (n as { kind?: unknown }).kind;
  return (kind === 'entry' || kind === 'finding') && !!(n as { entry?: unknown }).entry;
}

/** The copy commands of an entry's context menu: what each puts on the clipboard, and what it says. */
const COPIES: readonly {
  id: string;
  text: (e: OperationLogEntry) => string;
  done: (e: OperationLogEntry) => string;
}[] = [
  { id: COMMANDS.copyJson, text: formatEntryJson, done: () => vscode.l10n.t('Copied the entry as JSON') },
  { id: COMMANDS.copyOperator, text: (e) => e.operator, done: (e) => vscode.l10n.t('Copied {0}', e.operator) },
  { id: COMMANDS.copyDetail, text: (e) => e.operationDetail, done: () => vscode.l10n.t("Copied the entry's detail") },
];

/** Open Entry (the JSON webview), Copy as JSON, Copy Operator, Copy Detail. */
export function registerEntryCommands(
  context: vscode.ExtensionContext,
  settings: SettingsStore,
  log: vscode.LogOutputChannel,
  insights?: { findingsOf(e: OperationLogEntry): Finding[] },
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.openEntry, (node?: unknown) => {
      if (!isEntryNode(node)) return undefined;
      return panels().EntryPanel.show(context.extensionUri, node.entry, {
        timeZone: settings.current.timeZone,
        log: (m) => log.warn(m),
        findings: insights?.findingsOf(node.entry),
      });
    }),
    ...COPIES.map((copy) =>
      vscode.commands.registerCommand(copy.id, async (node?: unknown) => {
        if (!isEntryNode(node)) return;
        await vscode.env.clipboard.writeText(copy.text(node.entry));
        vscode.window.setStatusBarMessage(copy.done(node.entry), 3000);
      }),
    ),
    { dispose: () => panelsIfLoaded()?.EntryPanel.current?.dispose() },
  );
}
