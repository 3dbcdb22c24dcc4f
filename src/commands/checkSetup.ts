import * as vscode from 'vscode';
import type { SettingKey } from '../config/keys';
import type { LogView } from '../views/logView';
import { BUILTIN_COMMANDS, COMMANDS, CONTEXT_KEYS, PREFIX } from './ids';
import type { SetupLine, SetupReport } from '../zoom';
import { setupCore } from '../services/setupCore';

const ICONS: Record<SetupLine['status'], string> = {
  pass: '$(pass-filled)',
  fail: '$(error)',
  skip: '$(circle-slash)',
  info: '$(info)',
};

/**
 * What picking a failed line does. A sign-in goes to the account that was checked (with several accounts, a
 * bare sign-in would ask which one, or sign in the active one).
 */
export function fixAction(line: SetupLine, account?: string): { command: string; args?: unknown[] } | undefined {
  if (line.status !== 'fail') return undefined;
  switch (line.id) {
    case 'credentials':
    case 'token':
      return { command: COMMANDS.signInS2S, args: account ? [{ account }] : [] };
    case 'scope':
      return { command: BUILTIN_COMMANDS.open, args: [vscode.Uri.parse('https://marketplace.zoom.us/user/build')] };
    case 'rateLimit':
      return {
        command: BUILTIN_COMMANDS.openSettings,
        args: [`${PREFIX}.${'maxRequestsPerSecond' satisfies SettingKey}`],
      };
    default:
      return { command: COMMANDS.showLog };
  }
}

interface LineItem extends vscode.QuickPickItem {
  readonly line: SetupLine;
}

/**
 * `Zoom: Check Setup`: runs the checks (at most two requests to Zoom) with progress, writes
 * the report to the log, and shows it as a list with a tick or a cross per line; picking a
 * failed line runs its fix. Returns the report (for tests and the walkthrough).
 * `{ quiet: true }` skips the list (tests).
 */
export function registerCheckSetupCommand(
  context: vscode.ExtensionContext,
  view: LogView,
  log: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(
      COMMANDS.checkSetup,
      async (arg?: { quiet?: boolean; account?: string }): Promise<SetupReport | undefined> => {
        const target = await view.pick(arg, vscode.l10n.t('Zoom: Check Setup'));
        if (!target) return undefined;
        const zoom = target.zoom;
        const several = view.accounts.several;
        const report = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Notification,
            title: several
              ? vscode.l10n.t('Zoom: checking the setup of {0} (at most 2 requests to Zoom)…', target.account.name)
              : vscode.l10n.t('Zoom: checking the setup (at most 2 requests to Zoom)…'),
            cancellable: true,
          },
          (_p, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            return zoom.checkSetup(abort.signal);
          },
        );
        log.info(`Check Setup${several ? ` (${target.account.name})` : ''}:\n${setupCore().formatSetupReport(report)}`);
        if (report.ok) await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.setupChecked, true);
        if (!arg?.quiet) void showReport(report, target.account.id, several ? target.account.name : undefined);
        return report;
      },
    ),
  );
}

async function showReport(report: SetupReport, accountId: string, account?: string): Promise<void> {
  const failed = report.lines.filter((l) => l.status === 'fail').length;
  const pick = vscode.window.createQuickPick<LineItem>();
  const title = failed
    ? vscode.l10n.t(
        'Zoom setup: {0} problem(s) found · {1} request(s) sent to Zoom · pick a line to fix it',
        failed,
        report.requests,
      )
    : vscode.l10n.t('Zoom setup: everything checked works · {0} request(s) sent to Zoom', report.requests);
  pick.title = account ? `${account}: ${title}` : title;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = report.lines.map((line) => ({
    line,
    label: `${ICONS[line.status]} ${line.title}`,
    description: line.detail,
    detail: line.fix ? vscode.l10n.t('Fix: {0}', line.fix) : undefined,
  }));
  pick.onDidAccept(() => {
    const chosen = pick.selectedItems[0];
    pick.hide();
    const action = chosen && fixAction(chosen.line, accountId);
    if (action) void vscode.commands.executeCommand(action.command, ...(action.args ?? []));
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
