import * as vscode from 'vscode';
import type { Severity } from '../insights';
import type { OperationLogEntry } from '../zoom';
import type { AccountNode, EntryNode, LogTreeNode } from './nodes';
import {
  accountView,
  categoryView,
  dateView,
  entryTooltipFields,
  entryView,
  groupDateView,
  groupView,
  loadMoreView,
  noticeView,
  messageView,
  othersView,
  showMoreView,
  type CredentialKind,
  type NodeView,
} from './treeModel';

/** Every field as plain text: untrusted, no HTML, no command links, no theme icons. */
export function entryTooltip(node: EntryNode): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  for (const [name, value] of entryTooltipFields(node.entry)) {
    md.appendMarkdown(`**${name}:** `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  }
  return md;
}

/** The NodeView (treeModel.ts) of a node. */
export function nodeView(
  node: LogTreeNode | AccountNode,
  credentialKind: CredentialKind,
  severityOf?: (e: OperationLogEntry) => Severity | undefined,
  isNew?: (e: OperationLogEntry) => boolean,
): NodeView {
  switch (node.kind) {
    case 'category':
      return categoryView(node);
    case 'others':
      return othersView(node);
    case 'date':
      return dateView(node);
    case 'entry':
      return entryView(node, severityOf?.(node.entry), isNew?.(node.entry) ?? false);
    case 'loadMore':
      return loadMoreView(node);
    case 'showMore':
      return showMoreView(node);
    case 'message':
      return messageView(node, credentialKind);
    case 'group':
      return groupView(node);
    case 'groupDate':
      return groupDateView(node);
    case 'notice':
      return noticeView(node);
    case 'account':
      return accountView(node);
  }
}

export function treeItem(
  node: LogTreeNode | AccountNode,
  credentialKind: CredentialKind,
  severityOf?: (e: OperationLogEntry) => Severity | undefined,
  isNew?: (e: OperationLogEntry) => boolean,
): vscode.TreeItem {
  const v = nodeView(node, credentialKind, severityOf, isNew);
  const item = new vscode.TreeItem(
    v.label,
    !v.collapsible
      ? vscode.TreeItemCollapsibleState.None
      : v.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = node.id;
  item.contextValue = v.contextValue;
  item.iconPath = new vscode.ThemeIcon(v.icon, v.iconColor ? new vscode.ThemeColor(v.iconColor) : undefined);
  if (v.description !== undefined) item.description = v.description;
  item.tooltip = node.kind === 'entry' ? entryTooltip(node) : v.tooltip;
  if (v.command) item.command = { ...v.command };
  if (v.accessibilityLabel) item.accessibilityInformation = { label: v.accessibilityLabel };
  return item;
}
