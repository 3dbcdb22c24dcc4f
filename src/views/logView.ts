import * as vscode from 'vscode';
import { CONTEXT_KEYS } from '../commands/ids';
import type { SettingsStore } from '../config/settings';
import type { LogSession, QuerySpec } from '../model/session';
import type { Account, Accounts } from '../services/accounts';
import { builtInFindings, type FindingsSource } from '../services/findingsSource';
import { AccountView } from './accountView';
import { VIEW_ID } from './logTreeProvider';
import type { AccountNode, LogTreeNode } from './nodes';
import { treeItem } from './treeItems';

export { describeSource, type ArchiveSource } from './accountView';

/** A node of the Operation Logs view: an account's root (several accounts) or a node of an account's tree. */
export type ViewNode = LogTreeNode | AccountNode;

/**
 * The "Operation Logs" view. With one account it is that account's tree, as it always was;
 * with several, one root per account, each with its own range, categories, filter, loading
 * state and messages (an AccountView each). Commands find the account of a node with
 * `ownerOf`, or ask with `pick`; the accessors below (`session`, `provider`, `show`...) are the
 * active account's: the one of the tree's selection, or the only one.
 */
export class LogView implements vscode.TreeDataProvider<ViewNode>, vscode.Disposable {
  readonly treeView: vscode.TreeView<ViewNode>;
  private readonly views = new Map<string, { view: AccountView; subscriptions: vscode.Disposable[] }>();
  /** Which account each node handed to VS Code belongs to. */
  private readonly owners = new WeakMap<object, AccountView>();
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Each account view's summary as last drawn, so a root is redrawn only when it changed. */
  private readonly drawn = new Map<string, { key: string; id: string }>();
  /** The `filtered` context key as last set. */
  private filtered: boolean | undefined;

  constructor(
    readonly accounts: Accounts,
    private readonly settings: SettingsStore,
    /** Findings for the filter's `severity:` and `rule:` terms (and the overview). */
    readonly findings: FindingsSource = builtInFindings(),
  ) {
    for (const a of accounts.all) this.attach(a);
    this.treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.treeView,
      accounts.onDidChange(() => this.syncAccounts()),
      accounts.onDidChangeActive(() => this.updateDescription()),
      // Commands without a node act on the account of the selection.
      // A selected entry has been seen: it loses its "new".
      this.treeView.onDidChangeSelection((e) => {
        const owner = e.selection[0] && this.ownerOf(e.selection[0]);
        if (owner) accounts.setActive(owner.account);
        const entries = e.selection.flatMap((n) => (n.kind === 'entry' ? [n.entry] : []));
        if (owner && entries.length) owner.seen(entries);
      }),
      // A failed node tries again on its next expansion; a date collapsed after being shown has been seen.
      this.treeView.onDidCollapseElement((e) => {
        const n = e.element;
        const owner = this.ownerOf(n);
        if (n.kind === 'category' || n.kind === 'date' || n.kind === 'others') owner?.provider.forgetError(n);
        if (n.kind === 'date') owner?.seen(owner.provider.shownEntries(n));
      }),
    );
    this.updateDescription();
  }

  /** Every account's view, in the accounts' order. */
  get all(): AccountView[] {
    return this.accounts.all.flatMap((a) => this.views.get(a.id)?.view ?? []);
  }

  /** The view of an account (by the account, its id or its name). */
  of(account: Account | string): AccountView | undefined {
    const a = typeof account === 'string' ? this.accounts.find(account) : account;
    return a && this.views.get(a.id)?.view;
  }

  /** The active account's view: the selection's account, or the only one. */
  get active(): AccountView {
    return this.of(this.accounts.active) ?? this.all[0];
  }

  /** The account view a node (or an account root) belongs to. */
  ownerOf(node: unknown): AccountView | undefined {
    if (!node || typeof node !== 'object') return undefined;
    if ((node as { kind?: unknown }).kind === 'account') return this.of((node as AccountNode).profileId);
    return this.owners.get(node);
  }

  /**
   * The account view a command acts on: its node's, `{ account }`, the only one, or the one
   * picked. It becomes the active one, so the Findings and Archive views follow it.
   */
  async pick(arg: unknown, title: string): Promise<AccountView | undefined> {
    const a = await this.accounts.pick(arg, (n) => this.ownerOf(n)?.account, title);
    if (a) this.accounts.setActive(a);
    return a && this.of(a);
  }

  // The active account's session, as commands without a node use it.
  get session(): LogSession | undefined {
    return this.active.session;
  }
  get provider(): AccountView['provider'] {
    return this.active.provider;
  }
  show(query: QuerySpec | undefined): void {
    this.active.show(query);
  }
  refresh(): void {
    this.active.refresh();
  }
  setFilter(text: string): readonly string[] {
    return this.active.setFilter(text);
  }
  defaultQuery(): QuerySpec {
    return this.active.defaultQuery();
  }
  archivedFrom(): string | undefined {
    return this.active.archivedFrom();
  }

  async reveal(account?: AccountView): Promise<void> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    if (account && this.accounts.several) {
      await this.treeView.reveal(account.node, { expand: true, select: false, focus: false }).then(
        () => undefined,
        () => undefined,
      );
    }
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
    if (node.kind === 'account') return treeItem(node, node.summary.credentialKind);
    const owner = this.ownerOf(node);
    return owner ? owner.provider.getTreeItem(node) : treeItem(node, undefined);
  }

  getParent(node: ViewNode): ViewNode | undefined {
    if (node.kind === 'account') return undefined;
    const owner = this.ownerOf(node);
    if (!owner) return undefined;
    return owner.provider.getParent(node) ?? (this.accounts.several ? owner.node : undefined);
  }

  async getChildren(node?: ViewNode): Promise<ViewNode[]> {
    if (!node) {
      const all = this.all;
      if (all.length === 1) return this.own(all[0], await all[0].provider.getChildren(undefined));
      return all.map((v) => v.node);
    }
    const owner = this.ownerOf(node);
    if (!owner) return [];
    if (node.kind === 'account') {
      return owner.signedIn ? this.own(owner, await owner.provider.getChildren(undefined)) : [];
    }
    return this.own(owner, await owner.provider.getChildren(node));
  }

  private own(owner: AccountView, nodes: LogTreeNode[]): LogTreeNode[] {
    for (const n of nodes) this.owners.set(n, owner);
    return nodes;
  }

  private attach(account: Account): void {
    const view = new AccountView(account, this.settings, this.findings);
    const subscriptions = [
      view,
      // The account's tree changed: its root (several accounts) or the whole view (one).
      view.provider.onDidChangeTreeData((n) => this.changed.fire(n ?? (this.accounts.several ? view.node : undefined))),
      view.onDidDescribe(() => this.redrawRoot(view)),
    ];
    this.views.set(account.id, { view, subscriptions });
  }

  /** Accounts were added, renamed or removed: new views, old ones disposed, roots redrawn. */
  private syncAccounts(): void {
    // By the Account object: removing the last account makes a new `default` one with the same id.
    const live = new Set(this.accounts.all);
    for (const [id, entry] of this.views) {
      if (live.has(entry.view.account)) continue;
      for (const d of entry.subscriptions) d.dispose();
      this.views.delete(id);
      this.drawn.delete(id);
    }
    for (const a of this.accounts.all) {
      if (!this.views.has(a.id)) this.attach(a);
    }
    for (const v of this.all) v.renamed();
    this.changed.fire(undefined);
    this.updateDescription();
  }

  private redrawRoot(view: AccountView): void {
    const now = { key: JSON.stringify(view.node.summary), id: view.node.id };
    const before = this.drawn.get(view.account.id);
    if (before?.key !== now.key) {
      this.drawn.set(view.account.id, now);
      // Signing in or out changes the root's id: draw the roots again rather than refresh the old id.
      if (this.accounts.several) this.changed.fire(before && before.id !== now.id ? undefined : view.node);
    }
    this.updateDescription();
  }

  private updateDescription(): void {
    if (!this.treeView) return;
    const active = this.active;
    // Only when it changes: a setContext per tree event would queue behind VS Code's tree refreshes.
    const filtered = !!active?.session?.filter;
    if (filtered !== this.filtered) {
      this.filtered = filtered;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEYS.filtered, filtered);
    }
    if (this.accounts.several) {
      this.treeView.description = vscode.l10n.t('{0} Zoom accounts', this.accounts.all.length);
      this.treeView.message = undefined;
      return;
    }
    this.treeView.description = active?.description;
    this.treeView.message = active?.message;
  }

  dispose(): void {
    for (const { subscriptions } of this.views.values()) for (const d of subscriptions) d.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
