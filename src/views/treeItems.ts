import * as vscode from 'vscode';
import { OTHER_CATEGORIES_COST } from '../model/otherCategories';
import { DateKeyer } from '../model/timeZones';
import { type ZoomError } from '../zoom';
import {
  type CategoryNode,
  type DateNode,
  type EntryNode,
  type LoadMoreNode,
  type LogTreeNode,
  type MessageNode,
  type OthersNode,
  type ShowMoreNode,
} from './nodes';

const ACTION_ICONS: Record<string, string> = {
  add: 'add',
  create: 'add',
  update: 'edit',
  'batch update': 'checklist',
  delete: 'trash',
  remove: 'trash',
  'sign in': 'sign-in',
  'sign out': 'sign-out',
  login: 'sign-in',
  logout: 'sign-out',
};

/** Text for one-line labels: no control, bidi or zero-width characters, collapsed spaces, bounded length. */
export function oneLine(text: string, max: number): string {
  const clean = text
    .slice(0, max * 4)
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function categoryItem(node: CategoryNode): vscode.TreeItem {
  const { log, session } = node;
  const item = new vscode.TreeItem(log.label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = 'category';
  item.iconPath = new vscode.ThemeIcon('folder-library');
  if (log.started) {
    const more = log.done ? '' : '+';
    if (log.done && log.total === 0) item.description = 'no entries';
    else if (session.filter) item.description = `${countVisible(node)} of ${log.total}${more}`;
    else item.description = `${log.total}${more}`;
  } else if (log.isLoading) {
    item.description = 'loading…';
  }
  const refusal = log.refusalMessage ? ` ${log.refusalMessage}` : '';
  item.tooltip = `${log.label}: ${log.started ? `${log.total} entries loaded${log.done ? ' (all)' : ', more on Zoom'}` : 'expand to load the first page'}${node.parent ? ' (a category outside the eleven Zoom lets you query)' : ''}.${refusal}`;
  return item;
}

export function othersItem(node: OthersNode): vscode.TreeItem {
  const { others } = node;
  const item = new vscode.TreeItem('Other categories', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  // `category` so that Export... applies to it too.
  item.contextValue = 'category others';
  item.iconPath = new vscode.ThemeIcon('folder-library');
  const feed = others.feed;
  const more = feed.done ? '' : '+';
  if (feed.started) {
    item.description = feed.done && others.total === 0 ? 'no entries' : `${others.total}${more}`;
  } else if (feed.isLoading) item.description = 'loading…';
  const scanned = feed.started
    ? ` So far ${feed.received.toLocaleString('en-US')} entries of all categories were read (${feed.pages} pages)${feed.done ? ', all of them' : ''}.`
    : ' Expanding it asks for the first page of all categories.';
  const refusal = feed.refusedBefore ? ` Zoom returned nothing before ${feed.refusedBefore}.` : '';
  item.tooltip = `${OTHER_CATEGORIES_COST}${scanned}${refusal}`;
  return item;
}

function countVisible(node: CategoryNode): number {
  const { log, session } = node;
  return log.dateKeys().reduce((n, k) => n + session.visible(log.entries(k)).length, 0);
}

export function dateItem(node: DateNode): vscode.TreeItem {
  const { log, session } = node.parent;
  const item = new vscode.TreeItem(DateKeyer.label(node.key), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = node.id;
  item.contextValue = 'date';
  item.iconPath = new vscode.ThemeIcon('calendar');
  const all = log.entries(node.key).length;
  const shown = session.filter ? session.visible(log.entries(node.key)).length : all;
  const more = log.isDateComplete(node.key) ? '' : '+';
  item.description = session.filter ? `${shown} of ${all}${more}` : `${all}${more}`;
  item.tooltip = `${DateKeyer.label(node.key)} (${session.keyer.zone === 'UTC' ? 'UTC' : 'local time'}): ${all} entries${more ? ' so far; expand to load the rest of this day' : ''}`;
  return item;
}

export function entryItem(node: EntryNode): vscode.TreeItem {
  const e = node.entry;
  const keyer = node.parent.parent.session.keyer;
  const item = new vscode.TreeItem(
    `${oneLine(e.action || '(no action)', 40)}: ${oneLine(e.operationDetail, 80)}`,
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.contextValue = 'entry';
  item.description = `${keyer.time(e.timeMs)} · ${oneLine(e.operator, 60)}`;
  item.iconPath = new vscode.ThemeIcon(ACTION_ICONS[e.action.trim().toLowerCase()] ?? 'circle-small-filled');
  item.tooltip = entryTooltip(node);
  item.command = { command: 'zoomOperationLogs.openEntry', title: 'Open Entry', arguments: [node] };
  item.accessibilityInformation = {
    label: `${oneLine(e.action, 40)} by ${oneLine(e.operator, 60)} at ${e.time}: ${oneLine(e.operationDetail, 200)}`,
  };
  return item;
}

const TOOLTIP_FIELD_MAX = 2000;

/** Every field as plain text: untrusted, no HTML, no command links, no theme icons. */
export function entryTooltip(node: EntryNode): vscode.MarkdownString {
  const e = node.entry;
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  const field = (name: string, value: string): void => {
    md.appendMarkdown(`**${name}:** `);
    md.appendText(
      value.length > TOOLTIP_FIELD_MAX
        ? `${value.slice(0, TOOLTIP_FIELD_MAX)}… (${value.length} characters; open the entry to see all)`
        : value,
    );
    md.appendMarkdown('  \n');
  };
  field('Time', e.time);
  field('Operator', e.operator);
  field('Category', e.categoryType);
  field('Action', e.action);
  field('Detail', e.operationDetail);
  return md;
}

export function loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem('Load more...', vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  item.contextValue = 'loadMore';
  item.iconPath = new vscode.ThemeIcon('more');
  item.tooltip = 'Fetch the next page from Zoom';
  item.command = { command: 'zoomOperationLogs.loadMore', title: 'Load More', arguments: [node.parent] };
  return item;
}

export function showMoreItem(node: ShowMoreNode): vscode.TreeItem {
  const item = new vscode.TreeItem(
    `Show more (${node.remaining.toLocaleString('en-US')} hidden)`,
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = node.id;
  item.contextValue = 'showMore';
  item.iconPath = new vscode.ThemeIcon('unfold');
  item.command = { command: 'zoomOperationLogs.loadMore', title: 'Show More', arguments: [node.parent] };
  return item;
}

/** What clicking a message node does, by the kind of failure. */
export function messageAction(
  error: ZoomError | undefined,
  credentialKind: 'token' | 's2s' | undefined,
): { command: string; title: string; args?: unknown[] } | undefined {
  if (!error) return undefined;
  switch (error.kind) {
    case 'auth':
      return credentialKind === 's2s'
        ? { command: 'zoomOperationLogs.signInS2S', title: 'Sign in again' }
        : { command: 'zoomOperationLogs.setToken', title: 'Set a new token' };
    case 'oauth':
      return { command: 'zoomOperationLogs.signInS2S', title: 'Sign in again' };
    case 'horizon':
      return { command: 'zoomOperationLogs.fetch', title: 'Choose another range' };
    case 'config':
      return { command: 'workbench.action.openSettings', title: 'Open settings', args: ['zoomOperationLogs'] };
    case 'permission':
      return { command: 'zoomOperationLogs.showLog', title: 'Show log' };
    default:
      return { command: 'zoomOperationLogs.retry', title: 'Retry' };
  }
}

export function messageItem(node: MessageNode, credentialKind: 'token' | 's2s' | undefined): vscode.TreeItem {
  const firstSentence = node.text.split(/(?<=\.)\s/)[0];
  const item = new vscode.TreeItem(oneLine(firstSentence, 120), vscode.TreeItemCollapsibleState.None);
  item.id = node.id;
  const action = messageAction(node.error, credentialKind);
  item.contextValue = action?.command === 'zoomOperationLogs.retry' ? 'message retryable' : 'message';
  item.iconPath = new vscode.ThemeIcon(node.error ? 'warning' : 'info');
  item.tooltip = node.text;
  if (action) {
    item.description = action.title;
    item.command = {
      command: action.command,
      title: action.title,
      arguments: action.args ?? (action.command === 'zoomOperationLogs.retry' ? [node.parent] : []),
    };
  }
  return item;
}

export function treeItem(node: LogTreeNode, credentialKind: 'token' | 's2s' | undefined): vscode.TreeItem {
  switch (node.kind) {
    case 'category':
      return categoryItem(node);
    case 'others':
      return othersItem(node);
    case 'date':
      return dateItem(node);
    case 'entry':
      return entryItem(node);
    case 'loadMore':
      return loadMoreItem(node);
    case 'showMore':
      return showMoreItem(node);
    case 'message':
      return messageItem(node, credentialKind);
  }
}
