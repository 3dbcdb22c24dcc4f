import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import type { LogView } from '../views/logView';
import type { CategoryNode, DateNode, GroupDateNode, OthersNode } from '../views/nodes';
import { chooseQuery, type FetchArgs } from './fetch';

/** Fetch, Refresh, Filter, Clear Filter, and the tree's Load more / Retry. */
export function registerQueryCommands(
  context: vscode.ExtensionContext,
  view: LogView,
  defaultRange: () => string,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.fetch, async (args?: FetchArgs) => {
      let choice;
      try {
        choice = await chooseQuery(
          args && typeof args === 'object' ? args : undefined,
          defaultRange(),
          Date.now(),
          view.archivedFrom(),
        );
      } catch (e) {
        void vscode.window.showErrorMessage(e instanceof Error ? e.message : String(e));
        return false;
      }
      if (!choice) return false;
      view.show(choice);
      await view.reveal();
      // The walkthrough's "Fetch the last 7 days" step completes on this.
      await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.fetched, true);
      return true;
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, () => view.refresh()),
    vscode.commands.registerCommand(COMMANDS.filter, async (text?: unknown) => {
      const value =
        typeof text === 'string'
          ? text
          : await vscode.window.showInputBox({
              title: vscode.l10n.t('Zoom: Filter Operation Logs'),
              prompt: vscode.l10n.t(
                'Text, or fields: operator:jane action:Delete category:"User Settings" setting:passcode severity:high date:2026-11-20 -detail:test (empty clears the filter).',
              ),
              value: view.session?.filter ?? '',
            });
      if (value === undefined) return;
      const problems = view.setFilter(value);
      if (problems.length) void vscode.window.showWarningMessage(problems.join(' '));
    }),
    vscode.commands.registerCommand(COMMANDS.clearFilter, () => view.setFilter('')),
    vscode.commands.registerCommand(
      COMMANDS.loadMore,
      async (node?: CategoryNode | DateNode | OthersNode | GroupDateNode) => {
        if (
          node?.kind === 'category' ||
          node?.kind === 'date' ||
          node?.kind === 'others' ||
          node?.kind === 'groupDate'
        ) {
          await view.provider.loadMore(node);
        }
      },
    ),
    vscode.commands.registerCommand(COMMANDS.retry, async (node?: CategoryNode | DateNode | OthersNode) => {
      if (node?.kind === 'category' || node?.kind === 'date' || node?.kind === 'others') {
        await view.provider.retry(node);
      } else view.refresh();
    }),
  );
}
