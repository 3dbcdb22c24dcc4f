import * as vscode from 'vscode';
import type { SettingsChange, SettingsStore } from '../config/settings';
import { describeRange, presetRange } from '../model/ranges';
import { describeCategories, LogSession, type QuerySpec } from '../model/session';
import type { Account } from '../services/accounts';
import { CATEGORIES, describeRefusal, type Credentials, type OperationLogEntry } from '../zoom';
import type { FreshEntries } from '../model/fresh';
import { LogTreeProvider } from './logTreeProvider';
import { credentialKey } from './credentialKey';
import { AccountNode, type AccountSummary } from './nodes';
import { builtInFindings, type FindingsSource } from '../services/findingsSource';
import { compileFilter } from './filterQuery';
import { splitRange, type ArchiveReader } from '../model/archivePart';

/** One account's local archive as its tree reads it (that account's ArchiveService provides it). */
export interface ArchiveSource {
  /** The open archive of the account, if any. */
  reader(): ArchiveReader | undefined;
  /** The first day Zoom still answers for. */
  horizon(): string;
  /** The oldest archived day, if any. */
  oldestDay(): string | undefined;
  /** The archive changed (a sync, another folder, a sign-in). */
  readonly onDidChange: vscode.Event<void>;
}

/**
 * One account's part of the Operation Logs view: its session (range, categories, filter,
 * loaded pages), its tree of nodes (its own LogTreeProvider), and the words that describe
 * it. Signing in shows the default range; signing out empties it. What a settings change does
 * is the `effect` of the changed keys (src/config/keys.ts). LogView puts the accounts together.
 */
export class AccountView implements vscode.Disposable {
  readonly provider = new LogTreeProvider();
  /** The account's root when several accounts are open (the same object for its lifetime). */
  readonly node: AccountNode;
  private readonly disposables: vscode.Disposable[] = [];
  /** credentialKey() of the credentials the view last reacted to; undefined until known. */
  private credentials: string | undefined;
  private archiveSource: ArchiveSource | undefined;
  private kind: 'token' | 's2s' | undefined;
  private fresh: FreshEntries | undefined;
  private readonly described = new vscode.EventEmitter<void>();
  /** The description (range, categories, filter, refused days) changed. */
  readonly onDidDescribe = this.described.event;
  /** The view's description and message for this account; undefined when nothing is shown. */
  description: string | undefined;
  message: string | undefined;

  constructor(
    readonly account: Account,
    private readonly settings: SettingsStore,
    /** Findings for the filter's `severity:` and `rule:` terms (and the overview). */
    readonly findings: FindingsSource = builtInFindings(),
  ) {
    this.node = new AccountNode(account.id, { id: account.id, name: account.name, credentialKind: undefined });
    this.provider.accountId = account.id;
    this.disposables.push(
      this.provider,
      this.described,
      // Refused days become known while pages load; the description says so. After the tree's own
      // refresh is on its way (LogView forwards it), so the new rows are not held up by the message.
      this.provider.onDidChangeTreeData(() => queueMicrotask(() => this.describe())),
      account.credentials.onDidChange((c) => this.onCredentials(c)),
      settings.onDidChange((change) => this.onSettings(change)),
    );
    void account.credentials.get().then((c) => {
      // A sign-in event may have come first; it is newer.
      if (this.credentials !== undefined) return;
      this.credentials = credentialKey(c);
      this.kind = c?.kind;
      this.provider.setCredentialKind(c?.kind);
      if (c && !this.provider.current) this.show(this.defaultQuery());
      else this.describe();
    });
  }

  get zoom(): Account['zoom'] {
    return this.account.zoom;
  }

  get signedIn(): boolean {
    return this.kind !== undefined;
  }

  /**
   * Signed in, out, or as someone else. SecretStorage reports a sign-in a moment after
   * it was stored (and other windows report theirs), so the same credentials can arrive
   * twice: the second time the session is kept with its loaded pages. Only its failed
   * loads are forgotten, with a new client, so signing in again with the same app after
   * fixing its scopes in Zoom tries them again.
   */
  private onCredentials(c: Credentials | undefined): void {
    const key = credentialKey(c);
    if (key === this.credentials) {
      if (this.provider.forgetErrors()) this.zoom.reset();
      return;
    }
    this.credentials = key;
    this.kind = c?.kind;
    this.zoom.reset();
    this.provider.setCredentialKind(c?.kind);
    if (!c) this.show(undefined);
    else this.show(this.provider.current?.query ?? this.defaultQuery());
  }

  private onSettings(change: SettingsChange): void {
    if (change.effect === 'reload') this.refresh();
    else if (change.effect === 'redraw') this.provider.rerender();
  }

  get session(): LogSession | undefined {
    return this.provider.current;
  }

  /**
   * Reads the days the account's archive holds from disk. When the archive changes, a query
   * whose split between archive and Zoom changes (or that reaches today) is shown again.
   */
  useArchive(source: ArchiveSource): void {
    this.archiveSource = source;
    this.disposables.push(
      source.onDidChange(() => {
        const s = this.provider.current;
        if (!s) return;
        const reader = source.reader();
        const days: Record<string, { complete: boolean }> = {};
        for (const d of reader?.dayCounts(s.query.from, s.query.to) ?? []) days[d.day] = d;
        const next = reader
          ? splitRange(s.query.from, s.query.to, days, source.horizon())
          : { source: 'zoom', zoomFrom: s.query.from };
        if (next.source !== s.source || next.zoomFrom !== s.zoomFrom || s.source !== 'zoom') this.refresh();
      }),
    );
    this.refresh();
  }

  /**
   * Entries a background sync added are marked "new" in this account's tree until seen (selected or
   * opened, or listed under a date that is then collapsed).
   */
  useFresh(fresh: FreshEntries): void {
    this.fresh = fresh;
    this.provider.isNew = (e) => fresh.has(e);
    const off = fresh.onChange(() => this.provider.rerender());
    this.disposables.push({ dispose: off });
  }

  /**
   * A background sync added these entries to the archive: marked new, and when some fall in the shown
   * range, a notice at the top of the tree offers to show them (the tree is not reloaded under the user).
   */
  synced(added: readonly OperationLogEntry[]): void {
    this.fresh?.add(added);
    const s = this.session;
    if (!s) return;
    const inRange = added.filter((e) => {
      const day = s.keyer.dateKey(e.timeMs);
      return day >= s.query.from && day <= s.query.to;
    }).length;
    this.provider.announceNew(inRange);
  }

  /** Marks entries seen; the tree drops their "new". */
  seen(entries: readonly OperationLogEntry[]): void {
    this.fresh?.seen(entries);
  }

  /** The oldest archived day: ranges from there on are allowed even past Zoom's six months. */
  archivedFrom(): string | undefined {
    return this.archiveSource?.oldestDay();
  }

  defaultQuery(): QuerySpec {
    const range = presetRange(this.settings.current.defaultRange, Date.now());
    return { ...range, categories: [...CATEGORIES] };
  }

  /** Shows a query (nothing is fetched until a node is expanded). */
  show(query: QuerySpec | undefined): void {
    const filter = this.provider.current?.filter ?? '';
    const s = this.settings.current;
    const session = query
      ? new LogSession(query, {
          pageSize: s.pageSize,
          timeZone: s.timeZone,
          client: () => this.zoom.getClient(),
          archive: this.archiveSource?.reader(),
          horizon: this.archiveSource?.horizon(),
        })
      : undefined;
    if (session) this.applyFilter(session, filter);
    this.provider.show(session);
    this.describe();
  }

  /** Same query, reloaded from Zoom. */
  refresh(): void {
    const current = this.provider.current;
    if (current) this.show(current.query);
  }

  /** Sets the filter (the filter syntax, src/views/filterQuery.ts); returns what it could not read. */
  setFilter(text: string): readonly string[] {
    const session = this.provider.current;
    if (!session) return [];
    const problems = this.applyFilter(session, text);
    this.provider.rerender();
    this.describe();
    return problems;
  }

  private applyFilter(session: LogSession, text: string): readonly string[] {
    const compiled = compileFilter(text, {
      dateKey: (ms) => session.keyer.dateKey(ms),
      findingsOf: (e) => this.findings.of(e),
      rules: () => this.findings.rules(),
    });
    session.setFilter(text, (e) => compiled.test(e));
    return compiled.problems;
  }

  /** The account was renamed: its root and log lines use the new name. */
  renamed(): void {
    this.describe();
  }

  private describe(): void {
    const s = this.provider.current;
    let query: string | undefined;
    if (!s) {
      this.description = undefined;
      this.message = undefined;
    } else {
      const cats = describeCategories(s.query.categories);
      const filter = s.filter ? vscode.l10n.t(' · filter: "{0}"', s.filter) : '';
      query = `${describeRange(s.query)} · ${cats}${filter}`;
      this.description = `${query} · ${describeSource(s)}`;
      const before = s.refusedBefore();
      const refusal = before ? ` · ${describeRefusal(before)}` : '';
      const lost = s.archive?.damaged ?? [];
      const damaged =
        lost.length === 0
          ? ''
          : ` · ${
              lost.length === 1
                ? vscode.l10n.t(
                    'archived day {0} could not be read (its file is missing or changed); its date says what to do',
                    lost[0].day,
                  )
                : vscode.l10n.t(
                    '{0} archived days could not be read (files missing or changed); their dates say what to do',
                    lost.length,
                  )
            }`;
      const showing = !s.filter
        ? ''
        : this.provider.wholeRange(s)
          ? vscode.l10n.t(' · showing entries of the whole range matching "{0}"', s.filter)
          : vscode.l10n.t(' · showing loaded entries matching "{0}"', s.filter);
      this.message = vscode.l10n.t(
        '{0} (UTC dates) · {1}{2} · {3}{4}{5}',
        describeRange(s.query),
        cats,
        showing,
        describeSource(s),
        refusal,
        damaged,
      );
    }
    const summary: AccountSummary = {
      id: this.account.id,
      name: this.account.name,
      cloud: this.account.cloud,
      credentialKind: this.kind,
      query,
      message: this.message,
    };
    this.node.summary = summary;
    this.described.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Where the session's entries come from, for the view's description. */
export function describeSource(s: LogSession): string {
  switch (s.source) {
    case 'archive':
      return vscode.l10n.t('from the archive');
    case 'zoom':
      return vscode.l10n.t('from Zoom');
    case 'both':
      return vscode.l10n.t('archive to {0}, Zoom from {1}', s.archive?.to ?? '', s.zoomFrom ?? '');
  }
}
