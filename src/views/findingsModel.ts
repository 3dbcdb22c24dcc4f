/**
 * What the Findings view shows, as plain data (no `vscode`; unit-tested in test/unit/findingsModel.test.ts):
 * severity groups, then rules, then findings; labels, icons and colours.
 */
import type { Finding, Severity } from '../insights';
import { l10n } from '../l10n';
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

/**
 * `High`, `Medium`, `Low`, in the person's language.
 * @userFacing
 */
export function severityLabel(severity: Severity): string {
  switch (severity) {
    case 'high':
      return l10n.t('High');
    case 'medium':
      return l10n.t('Medium');
    default:
      return l10n.t('Low');
  }
}

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
  const sev = severityLabel(f.severity);
  const trusted = f.trusted
    ? l10n.t(' (trusted operator; the rule says {0})', severityLabel(f.ruleSeverity).toLowerCase())
    : '';
  return [
    `${f.title} [${f.ruleId}]`,
    l10n.t('Severity: {0}', `${sev}${trusted}`),
    l10n.t('Check: {0}', f.check),
    l10n.t('Operator: {0}', oneLine(f.entry.operator, 200)),
    l10n.t('Detail: {0}', oneLine(f.entry.operationDetail, 500)),
  ].join('\n');
}

/**
 * The view's message: where the findings come from and what to do for the whole range.
 * @userFacing
 */
export function findingsMessage(
  findings: number,
  checked: number,
  scanned: boolean,
  range: string | undefined,
  refusedBefore?: string,
): string | undefined {
  if (!range) return undefined;
  const n = (x: number): string => x.toLocaleString('en-US');
  const refusal = refusedBefore ? l10n.t(' Zoom returned nothing before {0}.', refusedBefore) : '';
  if (scanned) {
    return findings === 1
      ? l10n.t('{0}: 1 finding in all {1} entries of the range.{2}', range, n(checked), refusal)
      : l10n.t('{0}: {1} findings in all {2} entries of the range.{3}', range, n(findings), n(checked), refusal);
  }
  return findings === 1
    ? l10n.t('1 finding in the {0} entries loaded so far. Scan the range to check all of it.', n(checked))
    : l10n.t(
        '{0} findings in the {1} entries loaded so far. Scan the range to check all of it.',
        n(findings),
        n(checked),
      );
}
