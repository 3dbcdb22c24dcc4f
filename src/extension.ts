import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { registerCheckSetupCommand } from './commands/checkSetup';
import { registerEntryCommands } from './commands/entry';
import { registerExportCommands } from './commands/export';
import { registerQueryCommands } from './commands/query';
import { registerSignInCommands } from './commands/signIn';
import { readSettings } from './config/settings';
import { ZoomService } from './services/zoomService';
import { LogView } from './views/logView';

/** What tests reach through `getExtension(...).exports`; undefined outside the test host. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly credentials: CredentialStore;
  readonly zoom: ZoomService;
  readonly view: LogView;
  readonly log: vscode.LogOutputChannel;
  readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const log = vscode.window.createOutputChannel('Zoom Operation Logs', { log: true });
  const credentials = new CredentialStore(context.secrets);
  const zoom = new ZoomService(credentials, readSettings(), log);
  const view = new LogView(zoom, credentials);
  context.subscriptions.push(log, credentials, view);

  registerSignInCommands(context, credentials, zoom);
  registerCheckSetupCommand(context, zoom, log);
  registerQueryCommands(context, view, () => zoom.currentSettings.defaultRange);
  registerEntryCommands(context, zoom, log);
  registerExportCommands(context, view, zoom);
  context.subscriptions.push(vscode.commands.registerCommand('zoomOperationLogs.showLog', () => log.show(true)));

  // The secret store is never handed to other extensions: only the test host gets this.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { secrets: context.secrets, credentials, zoom, view, log, context }
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
