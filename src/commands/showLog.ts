import * as vscode from 'vscode';
import { COMMANDS } from './ids';

/** An error notification with a "Show Log" button that opens the extension's log (the requests behind it). */
export function showErrorWithLog(message: string): void {
  void vscode.window.showErrorMessage(message, vscode.l10n.t('Show Log')).then((pick) => {
    if (pick) void vscode.commands.executeCommand(COMMANDS.showLog);
  });
}
