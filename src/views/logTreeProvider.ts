import * as vscode from 'vscode';
import type { PageFeed } from '../model/categoryLog';
import type { Severity } from '../insights';
import type { LogSession } from '../model/session';
import { describeRefusal, toZoomError, type OperationLogEntry } from '../zoom';
import type { DateNode } from './nodes';
import {
  CategoryNode,
  DATE_CHUNK,
  EntryNode,
  GroupNode,
  LoadMoreNode,
  MessageNode,
  NoticeNode,
  OthersNode,
  ShowMoreNode,
  type GroupDateNode,
  type LogTreeNode,
} from './nodes';
import { treeItem } from './treeItems';
import type { CredentialKind } from './treeModel';
import { COMMANDS, VIEW_ID } from '../commands/ids';
import type { GroupKey } from '../insights/aggregate';
import { insights } from '../services/insights';
import { groupLabel, hasUnloadedPages, wholeRangeCost } from './wholeRangeModel';

export { VIEW_ID };

/**
 * Categories, then dates, then entries. Pages are fetched lazily: expanding a
 * category asks for its first page, expanding the oldest (maybe incomplete)
 * date asks for pages until that date is complete, "Load more..." asks for the
 * next page. Failures become message nodes under the node they concern.
 */
export class LogTreeProvider implements vscode.TreeDataProvider<LogTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LogTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private session: LogSession | undefined;
  private roots: (CategoryNode | OthersNode)[] = [];
  private credentialKind: CredentialKind;
  /** The highest finding severity of an entry (set by the Findings feature), for the icon's colour. */
  severityOf: ((e: OperationLogEntry) => Severity | undefined) | undefined;
  /** Whether an entry is marked new (a background sync added it and nobody has seen it yet). */
  isNew: ((e: OperationLogEntry) => boolean) | undefined;
  /** The account this tree belongs to, for the commands its notices run (several accounts). */
  accountId: string | undefined;
  /** Entries a background sync added inside the shown range since it was shown. */
  private newSinceShown = 0;
  /** Cancels the loads of the session being replaced. */
  private loads = new AbortController();
  /** How the root level groups entries; anything but `category` needs the whole range. */
  private grouping: GroupKey = 'category';
  /** The whole range of a session, once loaded (Group by, Search the whole range, the overview). */
  private readonly wholeRanges = new WeakMap<LogSession, readonly OperationLogEntry[]>();
  /** Group nodes of the current session and grouping, kept so refreshes fire with the same objects. */
  private groupNodes: { key: string; nodes: Map<string, GroupNode> } | undefined;

  get groupKey(): GroupKey {
    return this.grouping;
  }

  /** Groups the root level; shown at once when the whole range is loaded, else a notice offers to load it. */
  setGroupBy(key: GroupKey): void {
    this.grouping = key;
    this.changed.fire(undefined);
  }

  /** The whole range of the current session, newest first, once loaded. */
  wholeRange(session = this.session): readonly OperationLogEntry[] | undefined {
    return session && this.wholeRanges.get(session);
  }

  /** Keeps the whole range of a session and draws the tree from it. */
  setWholeRange(session: LogSession, entries: readonly OperationLogEntry[]): void {
    this.wholeRanges.set(session, entries);
    if (session === this.session) this.changed.fire(undefined);
  }

  get current(): LogSession | undefined {
    return this.session;
  }

  get categoryNodes(): readonly CategoryNode[] {
    return this.roots.filter((n): n is CategoryNode => n.kind === 'category');
  }

  /** The "Other categories" node, shown when every category is selected. */
  get othersNode(): OthersNode | undefined {
    return this.roots.find((n): n is OthersNode => n.kind === 'others');
  }

  setCredentialKind(kind: CredentialKind): void {
    this.credentialKind = kind;
  }

  /** Shows a new session (a new query, or the same one reloaded). */
  show(session: LogSession | undefined): void {
    this.newSinceShown = 0;
    this.loads.abort();
    this.loads = new AbortController();
    this.session = session;
    this.roots = session ? [...session.logs.values()].map((log) => new CategoryNode(session, log)) : [];
    if (session?.others) this.roots.push(new OthersNode(session, session.others));
    this.changed.fire(undefined);
  }

  /**
   * Draws every node again from the pages already loaded, without a request: a filter change,
   * or a setting tagged `redraw` in src/config/keys.ts. (A time-zone change regroups dates, so it
   * is a `reload`: LogView shows the query again.)
   */
  rerender(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: LogTreeNode): vscode.TreeItem {
    return treeItem(node, this.credentialKind, this.severityOf, this.isNew);
  }

  getParent(node: LogTreeNode): LogTreeNode | undefined {
    if (node.kind === 'others' || node.kind === 'group' || node.kind === 'notice') return undefined;
    return node.parent;
  }

  async getChildren(node?: LogTreeNode): Promise<LogTreeNode[]> {
    if (!node) return this.rootChildren();
    switch (node.kind) {
      case 'group':
        return this.groupChildren(node);
      case 'groupDate':
        return this.groupDateChildren(node);
      case 'category':
        return this.categoryChildren(node);
      case 'date':
        return this.dateChildren(node);
      case 'others':
        return this.othersChildren(node);
      default:
        return [];
    }
  }

  /** The entries a date node lists (its loaded entries that pass the filter, as many as it shows). */
  shownEntries(node: DateNode): readonly OperationLogEntry[] {
    return node.parent.session.visible(node.parent.log.entries(node.key)).slice(0, node.limit);
  }

  /** The next page of a category (Load more...), or the next chunk of a long date (Show more). */
  async loadMore(node: CategoryNode | DateNode | OthersNode | GroupDateNode): Promise<void> {
    if (node.kind === 'date' || node.kind === 'groupDate') {
      node.limit += DATE_CHUNK;
      this.changed.fire(node);
      return;
    }
    await this.load(node, (signal) =>
      node.kind === 'others' ? node.others.loadNextPage(signal) : feedOf(node).loadNextPage(signal),
    );
  }

  /** Forgets a failure so that expanding the node again tries again. */
  forgetError(node: CategoryNode | DateNode | OthersNode): void {
    const feed = feedOf(node);
    if (!feed.error) return;
    feed.error = undefined;
    this.changed.fire(node);
  }

  /** Forgets every failure of the session (each node tries again when shown); true when there was one. */
  forgetErrors(): boolean {
    let any = false;
    for (const node of this.roots) {
      const feed = feedOf(node);
      if (!feed.error) continue;
      feed.error = undefined;
      any = true;
    }
    if (any) this.changed.fire(undefined);
    return any;
  }

  /** Forgets a failure and tries the failed load again now (a message node's Retry). */
  async retry(node: CategoryNode | DateNode | OthersNode): Promise<void> {
    const feed = feedOf(node);
    if (!feed.error) return;
    feed.error = undefined;
    if (node.kind !== 'date' && feed.started && !feed.done) await this.loadMore(node);
    else this.changed.fire(node);
  }

  dispose(): void {
    this.loads.abort();
    this.changed.dispose();
  }

  /**
   * The root level. By category while the whole range is not loaded: the categories, headed by a notice when
   * a filter saw only the loaded pages. Otherwise groups of the whole range (by the chosen key), or a notice
   * offering to load it.
   */
  /** The roots, headed by a notice when a background sync added entries in the range since it was shown. */
  private rootChildren(): LogTreeNode[] {
    const roots = this.rootNodes();
    const session = this.session;
    if (!session || !this.newSinceShown) return roots;
    const notice = new NoticeNode(
      session,
      'synced',
      vscode.l10n.t(
        'A background sync archived {0} new entries in this range since it was loaded. Click to show them (marked new until seen).',
        this.newSinceShown,
      ),
      {
        command: COMMANDS.refresh,
        title: vscode.l10n.t('Show new entries'),
        args: this.accountId ? [{ account: this.accountId }] : [],
      },
    );
    return [notice, ...roots];
  }

  /** A background sync added `count` entries inside the shown range: a notice offers to show them. */
  announceNew(count: number): void {
    if (!this.session || count <= 0) return;
    this.newSinceShown += count;
    this.changed.fire(undefined);
  }

  private rootNodes(): LogTreeNode[] {
    const session = this.session;
    if (!session) return [];
    const whole = this.wholeRanges.get(session);
    if (!whole) {
      if (this.grouping !== 'category') {
        const cost = wholeRangeCost(session);
        const by = groupLabel(this.grouping).toLowerCase();
        return [
          new NoticeNode(
            session,
            `group-${this.grouping}`,
            cost.minRequests === 1
              ? vscode.l10n.t(
                  'Grouping by {0} needs the whole range from Zoom (at least 1 request). Click to load it.',
                  by,
                )
              : vscode.l10n.t(
                  'Grouping by {0} needs the whole range from Zoom (at least {1} requests). Click to load it.',
                  by,
                  cost.minRequests,
                ),
            {
              command: COMMANDS.groupBy,
              title: vscode.l10n.t('Load the whole range'),
              args: [{ by: this.grouping, confirm: false, account: this.accountId }],
            },
          ),
        ];
      }
      if (session.filter && hasUnloadedPages(session)) {
        return [
          new NoticeNode(
            session,
            'search',
            vscode.l10n.t(
              'The filter searched only the entries loaded so far; more pages are on Zoom. Search the whole range to see every match.',
            ),
            {
              command: COMMANDS.searchWholeRange,
              title: vscode.l10n.t('Search the whole range'),
              args: this.accountId ? [{ account: this.accountId }] : [],
            },
          ),
          ...this.roots,
        ];
      }
      return this.roots;
    }
    const key = `${session.id}/${this.grouping}`;
    if (this.groupNodes?.key !== key) {
      this.groupNodes = {
        key,
        nodes: new Map(
          insights()
            .groupBy(whole, this.grouping)
            .map((g) => [g.name, new GroupNode(session, this.grouping, g.name, g.entries)]),
        ),
      };
    }
    const groups = [...this.groupNodes.nodes.values()].filter(
      (g) => !session.filter || session.visible(g.entries).length > 0,
    );
    if (session.filter && groups.length === 0) {
      return [
        new NoticeNode(
          session,
          'no-match',
          vscode.l10n.t('No entry of the whole range matches "{0}".', session.filter),
        ),
      ];
    }
    return groups;
  }

  private groupChildren(node: GroupNode): LogTreeNode[] {
    const { session } = node;
    const out: LogTreeNode[] = [];
    for (const [key, entries] of node.dates()) {
      if (session.filter && session.visible(entries).length === 0) continue;
      out.push(node.date(key));
    }
    return out;
  }

  private groupDateChildren(node: GroupDateNode): LogTreeNode[] {
    const entries = node.parent.session.visible(node.entries);
    const shown = Math.min(entries.length, node.limit);
    const children: LogTreeNode[] = [];
    for (let i = 0; i < shown; i++) children.push(new EntryNode(node, entries[i], i));
    if (entries.length > shown) children.push(new ShowMoreNode(node, entries.length - shown));
    return children;
  }

  private async categoryChildren(node: CategoryNode): Promise<LogTreeNode[]> {
    const { log, session } = node;
    // The first page, or the first page again after a failure was forgotten.
    if (!log.error && (!log.started || (log.total === 0 && !log.done))) {
      await this.load(node, (signal) => log.loadNextPage(signal), false);
    }
    const children: LogTreeNode[] = [];
    for (const key of log.dateKeys()) {
      if (session.filter && session.visible(log.entries(key)).length === 0) continue;
      children.push(node.date(key));
    }
    if (log.error) children.push(new MessageNode(node, log.error.message, log.error));
    else if (log.done && log.total === 0) {
      children.push(
        new MessageNode(
          node,
          log.refusedBefore
            ? vscode.l10n.t(
                'No {0} entries from {1} to {2} that Zoom would return (from {3}).',
                node.log.category.replace(/_/g, ' '),
                session.query.from,
                session.query.to,
                log.refusedBefore,
              )
            : vscode.l10n.t(
                'No {0} entries from {1} to {2}.',
                node.log.category.replace(/_/g, ' '),
                session.query.from,
                session.query.to,
              ),
        ),
      );
    } else if (session.filter && children.length === 0) {
      children.push(
        new MessageNode(
          node,
          log.done
            ? vscode.l10n.t('No loaded entries match "{0}".', session.filter)
            : vscode.l10n.t(
                'No loaded entries match "{0}". Search the whole range, or load more, to search further.',
                session.filter,
              ),
          undefined,
          log.done
            ? undefined
            : {
                command: COMMANDS.searchWholeRange,
                title: vscode.l10n.t('Search the whole range'),
                args: this.accountId ? [{ account: this.accountId }] : [],
              },
        ),
      );
    }
    // Zoom refused the oldest window(s): say which days, under the category (the Other categories node says it for its own).
    const refusal = log.refusalMessage;
    if (refusal && !node.parent) children.push(new MessageNode(node, refusal));
    if (!log.done && !log.error && log.started) children.push(new LoadMoreNode(node));
    return children;
  }

  private async othersChildren(node: OthersNode): Promise<LogTreeNode[]> {
    const { others, session } = node;
    const feed = others.feed;
    // The first page, or pages until one entry outside the eleven categories turns up (bounded by the range).
    if (!feed.error && !others.done && others.total === 0) {
      await this.load(node, (signal) => others.loadNextPage(signal), false);
    }
    const children: LogTreeNode[] = [];
    for (const log of others.categories()) {
      if (session.filter && session.visible(log.allEntries()).length === 0) continue;
      children.push(node.child(log));
    }
    if (feed.error) children.push(new MessageNode(node, feed.error.message, feed.error));
    else if (others.done && others.total === 0) {
      children.push(
        new MessageNode(
          node,
          vscode.l10n.t(
            'No entries outside the eleven categories from {0} to {1}.',
            session.query.from,
            session.query.to,
          ),
        ),
      );
    } else if (!others.done && others.total === 0) {
      children.push(
        new MessageNode(
          node,
          vscode.l10n.t(
            'None in the first {0} entries of all categories. Load more to search further.',
            feed.received.toLocaleString('en-US'),
          ),
        ),
      );
    }
    if (feed.refusedBefore) children.push(new MessageNode(node, describeRefusal(feed.refusedBefore)));
    if (!others.done && !feed.error && feed.started) children.push(new LoadMoreNode(node));
    return children;
  }

  private async dateChildren(node: DateNode): Promise<LogTreeNode[]> {
    const { log, session } = node.parent;
    if (!log.isDateComplete(node.key) && !log.error) {
      await this.load(node.parent, (signal) => log.completeDate(node.key, signal), false);
      // The category's other dates (and counts) changed too.
      this.changed.fire(node.parent);
    }
    const entries: readonly OperationLogEntry[] = session.visible(log.entries(node.key));
    const children: LogTreeNode[] = [];
    const shown = Math.min(entries.length, node.limit);
    for (let i = 0; i < shown; i++) children.push(new EntryNode(node, entries[i], i));
    if (entries.length > shown) children.push(new ShowMoreNode(node, entries.length - shown));
    // An archived day whose file changed is not shown; say so where its entries would be, and offer to fetch it
    // again while Zoom still has it.
    const horizon = session.options.horizon;
    for (const d of log.damagedDays(node.key)) {
      const again =
        horizon && d.day >= horizon
          ? {
              command: COMMANDS.syncArchive,
              title: vscode.l10n.t('Fetch again from Zoom'),
              args: [{ overwriteDamaged: true, ...(this.accountId ? { account: this.accountId } : {}) }],
            }
          : undefined;
      children.push(new MessageNode(node, d.message, undefined, again, true));
    }
    if (log.error && !log.isDateComplete(node.key)) children.push(new MessageNode(node, log.error.message, log.error));
    return children;
  }

  /** Runs a load with progress in the view; failures are kept on the log and shown as message nodes. */
  private async load(
    node: CategoryNode | OthersNode,
    work: (signal: AbortSignal) => Promise<unknown>,
    fireAfter = true,
  ): Promise<void> {
    const { signal } = this.loads;
    const session = this.session;
    try {
      await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => work(signal));
    } catch (e) {
      if (toZoomError(e).kind === 'cancelled') return;
    }
    if (session !== this.session) return;
    // Labels and counts of the category change with every page; a page of the
    // other categories' shared feed can add entries to any of its children.
    const target = node.kind === 'category' && node.parent ? node.parent : node;
    if (fireAfter) this.changed.fire(target);
    else setTimeout(() => this.changed.fire(target), 0);
  }
}

/** The feed whose pages a node shows. */
function feedOf(node: CategoryNode | DateNode | OthersNode): PageFeed {
  switch (node.kind) {
    case 'category':
      return node.log.feed;
    case 'date':
      return node.parent.log.feed;
    case 'others':
      return node.others.feed;
  }
}
