import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import type { LogView } from '../views/logView';
import type { CategoryNode, DateNode, GroupDateNode, OthersNode } from '../views/nodes';
import { chooseQuery, type FetchArgs } from './fetch';

/** `{ account }` (an account's id or name) in a command's arguments: which account it acts on. */
export interface AccountArg {
  account?: string;
}

/**
 * Fetch, Refresh, Filter, Clear Filter, and the tree's Load more / Retry. Each acts on the
 * account of the node it was run on, the `account` argument, the only account, or the one
 * picked (several accounts).
 */
export function registerQueryCommands(
  context: vscode.ExtensionContext,
  view: LogView,
  defaultRange: () => string,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.fetch, async (args?: (FetchArgs & AccountArg) | object) => {
      const target = await view.pick(args, vscode.l10n.t('Zoom: Fetch Operation Logs'));
      if (!target) return false;
      const fetchArgs = args && typeof args === 'object' && !('kind' in args) ? (args as FetchArgs) : undefined;
      let choice;
      try {
        choice = await chooseQuery(fetchArgs, defaultRange(), Date.now(), target.archivedFrom());
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return false;
      }
      if (!choice) return false;
      target.show(choice);
      await view.reveal(target);
      // The walkthrough's "Fetch the last 7 days" step completes on this.
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.fetched, true);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, async (arg?: unknown) => {
      (await view.pick(arg, vscode.l10n.t('Zoom: Refresh')))?.refresh();
    }),
    vscode.commands.registerCommand(COMMANDS.filter, async (text?: unknown, arg?: AccountArg) => {
      // From a node's menu the first argument is the node; from tests and keybindings, the text.
      const target = await view.pick(
        typeof text === 'string' ? arg : text,
        vscode.l10n.t('Zoom: Filter Operation Logs'),
      );
      if (!target) return;
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: view.accounts.several
                ? vscode.l10n.t('Zoom: Filter Operation Logs of {0}', target.account.name)
                : vscode.l10n.t('Zoom: Filter Operation Logs'),
              prompt: vscode.l10n.t(
                'Text, or fields: operator:jane action:Delete category:"User Settings" setting:passcode severity:high date:2026-11-20 -detail:test (empty clears the filter).',
              ),
              value: target.session?.filter ?? '',
            });
      if (value === undefined) return;
      const problems = target.setFilter(value);
      if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
    }),
    vscode.commands.registerCommand(COMMANDS.clearFilter, async (arg?: unknown) => {
      (await view.pick(arg, vscode.l10n.t('Zoom: Clear Filter')))?.setFilter('');
    }),
    vscode.commands.registerCommand(
      COMMANDS.loadMore,
      async (node?: CategoryNode | DateNode | OthersNode | GroupDateNode) => {
        if (
          node?.kind === 'category' ||
          node?.kind === 'date' ||
          node?.kind === 'others' ||
          node?.kind === 'groupDate'
        ) {
          await (view.ownerOf(node) ?? view.active).provider.loadMore(node);
        }
      },
    ),
    vscode.commands.registerCommand(COMMANDS.retry, async (node?: CategoryNode | DateNode | OthersNode) => {
      const owner = view.ownerOf(node) ?? view.active;
      if (node?.kind === 'category' || node?.kind === 'date' || node?.kind === 'others') {
        await owner.provider.retry(node);
      } else owner.refresh();
    }),
  );
}
