import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_KEYS } from './ids';
import type { LogView } from '../views/logView';
import type { CategoryNode, DateNode, OthersNode } from '../views/nodes';
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
              title: 'Zoom: Filter Operation Logs',
              prompt:
                'Show loaded entries whose operator, action or detail contains this text (empty clears the filter).',
              value: view.session?.filter ?? '',
            });
      if (value !== undefined) view.setFilter(value);
    }),
    vscode.commands.registerCommand(COMMANDS.clearFilter, () => view.setFilter('')),
    vscode.commands.registerCommand(COMMANDS.loadMore, async (node?: CategoryNode | DateNode | OthersNode) => {
      if (node?.kind === 'category' || node?.kind === 'date' || node?.kind === 'others') {
        await view.provider.loadMore(node);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.retry, async (node?: CategoryNode | DateNode | OthersNode) => {
      if (node?.kind === 'category' || node?.kind === 'date' || node?.kind === 'others') {
        await view.provider.retry(node);
      } else view.refresh();
    }),
  );
}
