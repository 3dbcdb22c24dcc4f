import * as vscode from 'vscode';
import type { ZoomService } from '../services/zoomService';
import { formatEntryJson } from '../webview/entryJson';
import { EntryPanel } from '../webview/entryPanel';
import type { EntryNode } from '../views/nodes';

function isEntryNode(n: unknown): n is EntryNode {
  return !!n && typeof n === 'object' && (n as EntryNode).kind === 'entry';
}

/** Open Entry (the JSON webview), Copy as JSON, Copy Operator. */
export function registerEntryCommands(
  context: vscode.ExtensionContext,
  zoom: ZoomService,
  log: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('zoomOperationLogs.openEntry', (node?: unknown) => {
      if (!isEntryNode(node)) return undefined;
      return EntryPanel.show(context.extensionUri, node.entry, {
        timeZone: zoom.currentSettings.timeZone,
        log: (m) => log.warn(m),
      });
    }),
    vscode.commands.registerCommand('zoomOperationLogs.copyJson', async (node?: unknown) => {
      if (!isEntryNode(node)) return;
      await vscode.env.clipboard.writeText(formatEntryJson(node.entry));
      vscode.window.setStatusBarMessage('Copied the entry as JSON', 3000);
    }),
    vscode.commands.registerCommand('zoomOperationLogs.copyOperator', async (node?: unknown) => {
      if (!isEntryNode(node)) return;
      await vscode.env.clipboard.writeText(node.entry.operator);
      vscode.window.setStatusBarMessage(`Copied ${node.entry.operator}`, 3000);
    }),
    { dispose: () => EntryPanel.current?.dispose() },
  );
}
