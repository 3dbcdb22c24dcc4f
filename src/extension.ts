import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { registerCheckSetupCommand } from './commands/checkSetup';
import { registerEntryCommands } from './commands/entry';
import { registerExportCommands } from './commands/export';
import { registerOverviewCommands } from './commands/overview';
import { registerWholeRangeCommands } from './commands/wholeRange';
import { COMMANDS } from './commands/ids';
import { registerQueryCommands } from './commands/query';
import { registerSignInCommands } from './commands/signIn';
import { clientSettings, SettingsStore } from './config/settings';
import { SETTINGS } from './config/keys';
import { ZoomService } from './services/zoomService';
import { LogView } from './views/logView';

/** What tests reach through `getExtension(...).exports`; undefined outside the test host. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly credentials: CredentialStore;
  readonly settings: SettingsStore;
  readonly zoom: ZoomService;
  readonly view: LogView;
  readonly log: vscode.LogOutputChannel;
  readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const log = vscode.window.createOutputChannel('Zoom Operation Logs', { log: true });
  const credentials = new CredentialStore(context.secrets);
  const settings = new SettingsStore();
  const zoom = new ZoomService(credentials, clientSettings(settings.current), log);
  // Before the view subscribes, so a reload after a change already uses the new client settings.
  const followSettings = settings.onDidChange((c) => {
    if (c.changed.some((k) => SETTINGS[k].client)) zoom.reset(clientSettings(c.after));
  });
  const view = new LogView(zoom, credentials, settings);
  context.subscriptions.push(log, credentials, settings, followSettings, view);

  registerSignInCommands(context, credentials, zoom);
  registerCheckSetupCommand(context, zoom, log);
  registerQueryCommands(context, view, () => settings.current.defaultRange);
  registerEntryCommands(context, settings, log);
  registerExportCommands(context, view, zoom, settings);
  registerWholeRangeCommands(context, view, zoom);
  registerOverviewCommands(context, view, zoom, log);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showLog, () => log.show(true)));

  // The secret store is never handed to other extensions: only the test host gets this.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { secrets: context.secrets, credentials, settings, zoom, view, log, context }
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
