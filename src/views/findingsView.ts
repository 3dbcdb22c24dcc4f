import * as vscode from 'vscode';
import { COMMANDS, FINDINGS_VIEW_ID } from '../commands/ids';
import type { Finding } from '../insights';
import { describeRange } from '../model/ranges';
import type { InsightsService } from '../services/insightsService';
import type { OperationLogEntry } from '../zoom';
import {
  countBySeverity,
  findingLabel,
  findingsMessage,
  findingTooltip,
  groupFindings,
  SEVERITY_COLORS,
  SEVERITY_ICONS,
  severityLabel,
  type RuleGroup,
  type SeverityGroup,
} from './findingsModel';

export class SeverityNode {
  readonly kind = 'severity';
  readonly id: string;
  constructor(readonly group: SeverityGroup) {
    this.id = `findings/${group.severity}`;
  }
}

export class RuleNode {
  readonly kind = 'rule';
  readonly id: string;
  constructor(readonly group: RuleGroup) {
    this.id = `findings/${group.severity}/${group.ruleId}`;
  }
}

/** One finding; `entry` makes Open Entry and the copy commands work on it as on a tree entry. */
export class FindingNode {
  readonly kind = 'finding';
  readonly id: string;
  readonly entry: OperationLogEntry;
  constructor(
    readonly parent: RuleNode,
    readonly finding: Finding,
    index: number,
  ) {
    this.id = `${parent.id}/${index}`;
    this.entry = finding.entry;
  }
}

export type FindingsTreeNode = SeverityNode | RuleNode | FindingNode;

/**
 * The Findings view: severity, then rule, then entries (clicking one opens it), a badge with the number of
 * high findings, and a message saying whether the findings cover the loaded entries or the whole range.
 */
export class FindingsView implements vscode.TreeDataProvider<FindingsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FindingsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<FindingsTreeNode>;
  private groups: SeverityGroup[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pending: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly insights: InsightsService) {
    this.treeView = vscode.window.createTreeView(FINDINGS_VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.treeView,
      this.changed,
      insights.onDidChange(() => this.schedule()),
    );
    this.update();
  }

  /** Pages arrive in bursts: redraw at most every 50 ms. */
  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.update();
    }, 50);
  }

  /** Regroups the findings, sets badge and message, redraws (public so tests need not wait). */
  update(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
    const findings = this.insights.findings();
    this.groups = groupFindings(findings);
    const high = countBySeverity(findings).high;
    this.treeView.badge = high
      ? { value: high, tooltip: vscode.l10n.t('{0} high-severity findings', high) }
      : undefined;
    const session = this.insights.currentSession;
    const scan = this.insights.scan;
    this.treeView.message = findingsMessage(
      findings.length,
      this.insights.checkedEntries,
      !!scan,
      session && describeRange(session.query),
      scan?.refusedBefore,
    );
    this.changed.fire(undefined);
  }

  /** The severity groups shown (for tests). */
  get shown(): readonly SeverityGroup[] {
    return this.groups;
  }

  getTreeItem(node: FindingsTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'severity': {
        const { severity, count } = node.group;
        const item = new vscode.TreeItem(severityLabel(severity), vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.id;
        item.description = count.toLocaleString('en-US');
        item.iconPath = new vscode.ThemeIcon(
          SEVERITY_ICONS[severity],
          new vscode.ThemeColor(SEVERITY_COLORS[severity]),
        );
        item.contextValue = 'findingSeverity';
        item.accessibilityInformation = {
          label: vscode.l10n.t('{0} severity: {1} findings', severityLabel(severity), count),
        };
        return item;
      }
      case 'rule': {
        const { title, ruleId, findings, severity } = node.group;
        const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = `${findings.length.toLocaleString('en-US')} · ${ruleId}`;
        item.tooltip = `${title} [${ruleId}]\n${findings[0]?.check ?? ''}`;
        item.iconPath = new vscode.ThemeIcon('law', new vscode.ThemeColor(SEVERITY_COLORS[severity]));
        item.contextValue = 'findingRule';
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(findingLabel(f), vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        const when = Number.isFinite(f.entry.timeMs) ? f.entry.time.replace('T', ' ').replace(/Z$/, ' UTC') : '';
        item.description = `${when} · ${f.entry.operator}${f.trusted ? ` · ${vscode.l10n.t('trusted')}` : ''}`;
        item.tooltip = findingTooltip(f);
        item.iconPath = new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor(SEVERITY_COLORS[f.severity]));
        item.contextValue = 'finding entry';
        item.command = { command: COMMANDS.openEntry, title: vscode.l10n.t('Open Entry'), arguments: [node] };
        item.accessibilityInformation = {
          label: vscode.l10n.t(
            '{0} finding: {1}, by {2} at {3}: {4}',
            severityLabel(f.severity),
            f.title,
            f.entry.operator,
            when,
            findingLabel(f),
          ),
        };
        return item;
      }
    }
  }

  getChildren(node?: FindingsTreeNode): FindingsTreeNode[] {
    if (!node) return this.groups.map((g) => new SeverityNode(g));
    if (node.kind === 'severity') return node.group.rules.map((r) => new RuleNode(r));
    if (node.kind === 'rule') {
      return node.group.findings.map((f, i) => new FindingNode(node, f, i));
    }
    return [];
  }

  getParent(node: FindingsTreeNode): FindingsTreeNode | undefined {
    if (node.kind === 'finding') return node.parent;
    if (node.kind === 'rule') {
      const g = this.groups.find((x) => x.severity === node.group.severity);
      return g && new SeverityNode(g);
    }
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.pending);
    for (const d of this.disposables) d.dispose();
  }
}
