import * as vscode from 'vscode';
import type { CredentialStore } from './auth/credentialStore';
import { registerAccountCommands } from './commands/accounts';
import { registerArchive, type ArchiveFeature } from './commands/archive';
import { registerCheckSetupCommand } from './commands/checkSetup';
import { registerEntryCommands } from './commands/entry';
import { registerExportCommands } from './commands/export';
import { registerFindings } from './commands/findings';
import { registerOverviewCommands } from './commands/overview';
import { onWholeRangeLoaded, registerWholeRangeCommands } from './commands/wholeRange';
import { COMMANDS } from './commands/ids';
import { registerQueryCommands } from './commands/query';
import { registerSignInCommands } from './commands/signIn';
import { SettingsStore } from './config/settings';
import { Accounts } from './services/accounts';
import { InsightsService } from './services/insightsService';
import type { ZoomService } from './services/zoomService';
import type { FindingsView } from './views/findingsView';
import { LogView } from './views/logView';
import { setTranslator } from './l10n';

/** What tests reach through `getExtension(...).exports`; undefined outside the test host. */
export interface TestApi {
  readonly secrets: vscode.SecretStorage;
  readonly accounts: Accounts;
  /** The active account's credentials and Zoom service (the only account's, with one). */
  readonly credentials: CredentialStore;
  readonly settings: SettingsStore;
  readonly zoom: ZoomService;
  readonly view: LogView;
  readonly insights: InsightsService;
  readonly findings: FindingsView;
  readonly archive: ArchiveFeature;
  readonly log: vscode.LogOutputChannel;
  readonly context: Pick<vscode.ExtensionContext, 'globalState' | 'workspaceState' | 'logUri'>;
  /** Ms spent in this activate() itself (the bench reports it beside VS Code's whole activation). */
  readonly activateMs: number;
}

export function activate(context: vscode.ExtensionContext): TestApi | undefined {
  const started = performance.now();
  setTranslator((m, ...a) => vscode.l10n.t(m, ...a));
  const log = vscode.window.createOutputChannel(vscode.l10n.t('Zoom Operation Logs'), { log: true });
  const settings = new SettingsStore();
  // Every Zoom account (profile): its own credentials, ZoomService, rate limiter and token cache. Created
  // before the view subscribes to settings, so a reload after a change already uses the new client settings.
  const accounts = new Accounts(context, settings, log);
  // Before the view too: a rules change recomputes the findings before the tree redraws their colours.
  const insights = new InsightsService(settings, log);
  // The filter's severity:/rule: terms and the overview use the same findings as the Findings view.
  const view = new LogView(accounts, settings, {
    of: (e) => insights.findingsOf(e),
    ofAll: (entries) => entries.flatMap((e) => insights.findingsOf(e)),
    rules: () => insights.rules,
  });
  context.subscriptions.push(log, settings, accounts, insights, view);
  const pickAccount = async (arg: unknown, title: string) => (await view.pick(arg, title))?.account;

  registerSignInCommands(context, accounts, pickAccount);
  registerAccountCommands(context, accounts, pickAccount);
  registerCheckSetupCommand(context, view, log);
  registerQueryCommands(context, view, () => settings.current.defaultRange);
  registerEntryCommands(context, settings, log, insights);
  registerExportCommands(context, view, settings);
  const findings = registerFindings(context, view, insights, settings);
  registerWholeRangeCommands(context, view);
  // A whole range loaded for Group By, a search or the overview is a scan of that range: the Findings view shows it.
  context.subscriptions.push(
    onWholeRangeLoaded((session, entries, refusedBefore) => {
      if (insights.setScan(session, [...entries], refusedBefore)) findings.update();
    }),
  );
  context.subscriptions.push(vscode.commands.registerCommand(COMMANDS.showLog, () => log.show(true)));
  // Evidence packs carry the findings of their entries (findings.json).
  const archive = registerArchive(context, settings, view, log, (e) => insights.findingRecords(e));
  // The overview's coverage strip reads the account's archive.
  registerOverviewCommands(context, view, log, (account) => archive.of(account).service.coverage());

  const activateMs = performance.now() - started;
  // The secret store is never handed to other extensions: only the test host gets this.
  return context.extensionMode === vscode.ExtensionMode.Test
    ? {
        secrets: context.secrets,
        accounts,
        get credentials() {
          return accounts.active.credentials;
        },
        get zoom() {
          return accounts.active.zoom;
        },
        settings,
        view,
        insights,
        findings,
        archive,
        log,
        context,
        activateMs,
      }
    : undefined;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
