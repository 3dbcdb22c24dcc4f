import * as vscode from 'vscode';
import { BUILTIN_COMMANDS, COMMANDS } from '../commands/ids';
import { SECTION } from '../config/keys';
import type { SettingsStore } from '../config/settings';
import type { Finding, RuleEngine, Severity } from '../insights';
import type { LogSession } from '../model/session';
import { toRawEntry, type OperationLogEntry, type RawOperationLog } from '../zoom';
import { insights } from './insights';

/** Severities, most severe first (as src/insights orders them; kept here so nothing loads insights for it). */
const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low'];

/** A setting value that is a non-empty list, or any other value that is not empty (and so may be a problem). */
const hasItems = (v: unknown): boolean => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null && v !== '');

/** A finished scan of the whole query of one session. */
export interface ScanState {
  readonly sessionId: string;
  /** Entries checked (the whole query). */
  readonly entries: number;
  readonly refusedBefore?: string;
}

/**
 * The audit findings of the session the Operation Logs view shows. It holds the rule engine compiled from
 * the settings (`zoomOperationLogs.rules`, `zoomOperationLogs.trustedOperators`), checks every entry the
 * tree loads as its page arrives (LogSession.onEntries), and keeps the result of the last scan of the whole
 * range. The Findings view shows the scan's findings once there is one for the session, else those of the
 * loaded entries (a subset of the same query, so nothing is counted twice).
 */
export class InsightsService implements vscode.Disposable {
  /** Compiled on first use (see `compiled`): activation does not load dist/insights.js for it. */
  private engine: RuleEngine | undefined;
  /** What is wrong with the user's rules or trusted operators, one sentence each. */
  problems: readonly string[] = [];
  /** The last problem message shown to the user (for tests). */
  lastMessage: string | undefined;
  private cache = new WeakMap<OperationLogEntry, Finding[]>();
  private session: LogSession | undefined;
  private unsubscribe: (() => void) | undefined;
  private loadedCount = 0;
  private readonly loadedFlagged = new Map<OperationLogEntry, Finding[]>();
  private scanEntries: OperationLogEntry[] = [];
  private readonly scanFlagged = new Map<OperationLogEntry, Finding[]>();
  private scanState: ScanState | undefined;
  /** The last scan of each session (each account's tree has its own), until the session is dropped. */
  private readonly scans = new WeakMap<LogSession, { entries: OperationLogEntry[]; refusedBefore?: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the findings change: entries checked, a scan finished, the rules changed. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly settings: SettingsStore,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    // The built-in rules need nothing until an entry is checked. The user's own rules or trusted operators are
    // compiled right after activation, so a broken rule is reported at start-up and not at the first fetch.
    const { rules, trustedOperators } = settings.current;
    if (hasItems(rules) || hasItems(trustedOperators)) setImmediate(() => this.compiled);
    this.subscription = settings.onDidChange((c) => {
      if (c.changed.includes('rules') || c.changed.includes('trustedOperators')) this.recompile();
    });
  }

  private get compiled(): RuleEngine {
    this.engine ??= this.compile();
    return this.engine;
  }

  get rules(): RuleEngine['rules'] {
    return this.compiled.rules;
  }

  /** The findings of these entries as plain records (Zoom's field names for the entry), for evidence packs. */
  findingRecords(entries: readonly OperationLogEntry[]): FindingRecord[] {
    return entries.flatMap((e) =>
      this.findingsOf(e).map((f) => ({
        ruleId: f.ruleId,
        title: f.title,
        severity: f.severity,
        ruleSeverity: f.ruleSeverity,
        trusted: f.trusted,
        check: f.check,
        entry: toRawEntry(f.entry),
      })),
    );
  }

  /** The rules' findings on one entry (computed once per entry and rule set). */
  findingsOf(entry: OperationLogEntry): Finding[] {
    let f = this.cache.get(entry);
    if (!f) {
      f = this.compiled.check(entry, insights().parsedOf);
      this.cache.set(entry, f);
    }
    return f;
  }

  /** The highest severity among an entry's findings, or undefined when no rule flags it. */
  severityOf(entry: OperationLogEntry): Severity | undefined {
    const f = this.findingsOf(entry);
    if (!f.length) return undefined;
    return SEVERITY_ORDER.find((s) => f.some((x) => x.severity === s));
  }

  /** The scan of the current session, when there is one. */
  get scan(): ScanState | undefined {
    return this.scanState && this.scanState.sessionId === this.session?.id ? this.scanState : undefined;
  }

  /** Entries the shown findings come from: the scan's, else the loaded ones. */
  get checkedEntries(): number {
    return this.scan ? this.scan.entries : this.loadedCount;
  }

  get currentSession(): LogSession | undefined {
    return this.session;
  }

  /** Every finding shown (the scan's when there is one, else the loaded entries'), in arrival order. */
  findings(): Finding[] {
    const source = this.scan ? this.scanFlagged : this.loadedFlagged;
    const out: Finding[] = [];
    for (const f of source.values()) out.push(...f);
    return out;
  }

  /** Follows the session the view shows: its loaded entries are checked as they arrive. */
  attach(session: LogSession | undefined): void {
    if (session === this.session) return;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.session = session;
    this.loadedCount = 0;
    this.loadedFlagged.clear();
    this.clearScan();
    if (session) {
      this.unsubscribe = session.onEntries((entries) => this.check(entries, true));
      this.check(session.loadedEntries(), false);
      // Back to a session scanned before (another account's tree was selected meanwhile): its scan is kept.
      const kept = this.scans.get(session);
      if (kept) this.setScan(session, kept.entries, kept.refusedBefore);
    }
    this.changed.fire();
  }

  /** Records the scan of the whole query of `session`; ignored when the view shows another session by now. */
  setScan(session: LogSession, entries: OperationLogEntry[], refusedBefore?: string): boolean {
    if (session !== this.session) return false;
    this.scans.set(session, { entries, refusedBefore });
    this.clearScan();
    this.scanEntries = entries;
    for (const e of entries) {
      const f = this.findingsOf(e);
      if (f.length) this.scanFlagged.set(e, f);
    }
    this.scanState = { sessionId: session.id, entries: entries.length, refusedBefore };
    this.changed.fire();
    return true;
  }

  private clearScan(): void {
    this.scanEntries = [];
    this.scanFlagged.clear();
    this.scanState = undefined;
  }

  private check(entries: readonly OperationLogEntry[], fire: boolean): void {
    for (const e of entries) {
      this.loadedCount++;
      const f = this.findingsOf(e);
      if (f.length) this.loadedFlagged.set(e, f);
    }
    if (fire) this.changed.fire();
  }

  private compile(): RuleEngine {
    const { rules, trustedOperators } = this.settings.current;
    const { engine, problems } = insights().compileRules(
      insights().BUILT_IN_RULES,
      rules ?? [],
      trustedOperators ?? [],
      // A user pattern switched off mid-scan for taking too long: said like a bad rule, first.
      { onSlowRule: (message) => this.reportProblems([message, ...this.problems]) },
    );
    this.reportProblems(problems);
    return engine;
  }

  /** New rules or trusted operators: check every loaded and scanned entry again. */
  private recompile(): void {
    this.engine = this.compile();
    this.cache = new WeakMap();
    const session = this.session;
    this.loadedCount = 0;
    this.loadedFlagged.clear();
    if (session) this.check(session.loadedEntries(), false);
    const scanned = this.scanEntries;
    this.scanFlagged.clear();
    for (const e of scanned) {
      const f = this.findingsOf(e);
      if (f.length) this.scanFlagged.set(e, f);
    }
    this.changed.fire();
  }

  private reportProblems(problems: string[]): void {
    const before = this.problems.join('\n');
    this.problems = problems;
    if (!problems.length) {
      this.lastMessage = undefined;
      return;
    }
    if (problems.join('\n') === before) return;
    for (const p of problems) this.log?.warn(p);
    const more =
      problems.length > 1 ? vscode.l10n.t(' ({0} more problems are listed in the log.)', problems.length - 1) : '';
    const message = vscode.l10n.t('Zoom finding rules: {0}{1} The other rules keep working.', problems[0], more);
    this.lastMessage = message;
    const openSettings = vscode.l10n.t('Open Settings');
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(message, openSettings, showLog).then((pick) => {
      if (pick === openSettings) {
        void vscode.commands.executeCommand(BUILTIN_COMMANDS.openSettings, `${SECTION}.rules`);
      } else if (pick === showLog) void vscode.commands.executeCommand(COMMANDS.showLog);
    });
  }

  dispose(): void {
    this.unsubscribe?.();
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** One finding as it is written to an evidence pack's findings.json. */
export interface FindingRecord {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  readonly ruleSeverity: Severity;
  readonly trusted: boolean;
  readonly check: string;
  readonly entry: RawOperationLog;
}
