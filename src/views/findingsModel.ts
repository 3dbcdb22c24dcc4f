/**
 * What the Findings view shows, as plain data (no `vscode`; unit-tested in test/unit/findingsModel.test.ts):
 * severity groups, then rules, then findings; labels, icons and colours.
 */
import type { Finding, Severity } from '../insights';
import { insights } from '../services/insights';

import { oneLine, SEVERITY_ICON_COLORS } from './treeModel';

/** Severities, most severe first (as src/insights orders them; kept here so nothing loads insights for it). */
const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low'];

export interface RuleGroup {
  readonly ruleId: string;
  readonly title: string;
  readonly severity: Severity;
  /** Newest first. */
  readonly findings: readonly Finding[];
}

export interface SeverityGroup {
  readonly severity: Severity;
  readonly count: number;
  /** Most findings first, then by title. */
  readonly rules: readonly RuleGroup[];
}

export const SEVERITY_LABELS: Record<Severity, string> = { high: 'High', medium: 'Medium', low: 'Low' };

/** Theme colours of severity icons (the same as flagged entries' in the Operation Logs tree). */
export const SEVERITY_COLORS: Record<Severity, string> = SEVERITY_ICON_COLORS;

export const SEVERITY_ICONS: Record<Severity, string> = { high: 'error', medium: 'warning', low: 'info' };

/** Findings by severity (high first; empty severities left out), then by rule. */
export function groupFindings(findings: readonly Finding[]): SeverityGroup[] {
  const bySeverity = new Map<Severity, Map<string, Finding[]>>();
  for (const f of findings) {
    let rules = bySeverity.get(f.severity);
    if (!rules) bySeverity.set(f.severity, (rules = new Map()));
    // A trusted operator's finding sits under its lowered severity, beside the rule's other findings there.
    let list = rules.get(f.ruleId);
    if (!list) rules.set(f.ruleId, (list = []));
    list.push(f);
  }
  const groups: SeverityGroup[] = [];
  for (const severity of SEVERITY_ORDER) {
    const rules = bySeverity.get(severity);
    if (!rules) continue;
    const ruleGroups = [...rules].map(([ruleId, list]) => ({
      ruleId,
      title: list[0].title,
      severity,
      findings: [...list].sort((a, b) => (b.entry.timeMs || 0) - (a.entry.timeMs || 0)),
    }));
    ruleGroups.sort((a, b) => b.findings.length - a.findings.length || a.title.localeCompare(b.title));
    groups.push({ severity, count: ruleGroups.reduce((n, r) => n + r.findings.length, 0), rules: ruleGroups });
  }
  return groups;
}

/** Counts per severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** A finding's label: the readable change of its entry. */
export function findingLabel(f: Finding): string {
  const e = f.entry;
  return oneLine(insights().summarize(insights().parsedOf(e)) || `${e.action}: ${e.operationDetail}`, 120);
}

/** A finding's tooltip: rule, severity (and why it was lowered), what to check, and the raw detail. */
export function findingTooltip(f: Finding): string {
  const sev = SEVERITY_LABELS[f.severity];
  const trusted = f.trusted
    ? ` (trusted operator; the rule says ${SEVERITY_LABELS[f.ruleSeverity].toLowerCase()})`
    : '';
  return [
    `${f.title} [${f.ruleId}]`,
    `Severity: ${sev}${trusted}`,
    `Check: ${f.check}`,
    `Operator: ${oneLine(f.entry.operator, 200)}`,
    `Detail: ${oneLine(f.entry.operationDetail, 500)}`,
  ].join('\n');
}

/** The view's message: where the findings come from and what to do for the whole range. */
export function findingsMessage(
  findings: number,
  checked: number,
  scanned: boolean,
  range: string | undefined,
  refusedBefore?: string,
): string | undefined {
  if (!range) return undefined;
  const n = (x: number): string => x.toLocaleString('en-US');
  const refusal = refusedBefore ? ` Zoom returned nothing before ${refusedBefore}.` : '';
  if (scanned) {
    return `${range}: ${n(findings)} finding${findings === 1 ? '' : 's'} in all ${n(checked)} entries of the range.${refusal}`;
  }
  return `${n(findings)} finding${findings === 1 ? '' : 's'} in the ${n(checked)} entries loaded so far. Scan the range to check all of it.`;
}
