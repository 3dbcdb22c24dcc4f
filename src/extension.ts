import * as vscode from 'vscode';
import { CredentialStore } from './auth/credentialStore';
import { registerArchive, type ArchiveFeature } from './commands/archive';
import { registerCheckSetupCommand } from './commands/checkSetup';
import { registerEntryCommands } from './commands/entry';
import { registerExportCommands } from './commands/export';
import { registerFindings } from './commands/findings';
import { registerOverviewCommands } from './commands/overview';
import { registerWholeRangeCommands } from './commands/wholeRange';
import { COMMANDS } from './commands/ids';
import { registerQueryCommands } from './commands/query';
import { registerSignInCommands } from './commands/signIn';
import { clientSettings, SettingsStore } from './config/settings';
import { SETTINGS } from './config/keys';
import { InsightsService } from './services/insightsService';
import { ZoomService } from './services/zoomService';
import type { FindingsView } from './views/findingsView';
import { LogView } from './views/logView';
import { setTranslator } from './l10n';

/** What tests reach through `getExtension(...).exports`; undefined outside the test host. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly credentials: CredentialStore;
  readonly settings: SettingsStore;
  readonly zoom: ZoomService;
  readonly view: LogView;
  readonly insights: InsightsService;
  readonly findings: FindingsView;
  readonly archive: ArchiveFeature;
  readonly log: vscode.LogOutputChannel;
  readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  setTranslator((m, ...a) => vscode.l10n.t(m, ...a));
  const log = vscode.window.createOutputChannel(vscode.l10n.t('Zoom Operation Logs'), { log: true });
  const credentials = new CredentialStore(context.secrets);
  const settings = new SettingsStore();
  const zoom = new ZoomService(credentials, clientSettings(settings.current), log);
  // Before the view subscribes, so a reload after a change already uses the new client settings.
  const followSettings = settings.onDidChange((c) => {
    if (c.changed.some((k) => SETTINGS[k].client)) zoom.reset(clientSettings(c.after));
  });
  // Before the view too: a rules change recomputes the findings before the tree redraws their colours.
  const insights = new InsightsService(settings, log);
  // The filter's severity:/rule: terms and the overview use the same findings as the Findings view.
  const view = new LogView(zoom, credentials, settings, {
    of: (e) => insights.findingsOf(e),
    ofAll: (entries) => entries.flatMap((e) => insights.findingsOf(e)),
  });
  context.subscriptions.push(log, credentials, settings, followSettings, insights, view);

  registerSignInCommands(context, credentials, zoom);
  registerCheckSetupCommand(context, zoom, log);
  registerQueryCommands(context, view, () => settings.current.defaultRange);
  registerEntryCommands(context, settings, log, insights);
  registerExportCommands(context, view, zoom, settings);
  const findings = registerFindings(context, view, zoom, insights, settings);
  registerWholeRangeCommands(context, view, zoom);
  registerOverviewCommands(context, view, zoom, log);
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showLog, () => log.show(true)));
  // Evidence packs carry the findings of their entries (findings.json).
  const archive = registerArchive(context, zoom, credentials, settings, view, log, (e) => insights.findingRecords(e));

  // The secret store is never handed to other extensions: only the test host gets this.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? { secrets: context.secrets, credentials, settings, zoom, view, insights, findings, archive, log, context }
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
