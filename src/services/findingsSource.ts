/**
 * Where the overview and the filter's `severity:` / `rule:` terms get findings from. Until the findings
 * service (Findings view, scan) is wired in, the built-in rules compiled once. Plain Node.
 */
import type { Finding, RuleEngine } from '../insights';
import { insights } from './insights';
import type { OperationLogEntry } from '../zoom/types';

/** Findings of one entry (for the filter) and of many (for the overview), and the rules they come from. */
export interface FindingsSource {
  of(entry: OperationLogEntry): readonly Finding[];
  ofAll(entries: readonly OperationLogEntry[]): Finding[];
  rules(): RuleEngine['rules'];
}

/** The built-in rules, compiled on first use; one check per entry, cached per entry object. */
export function builtInFindings(engine?: RuleEngine): FindingsSource {
  let compiled = engine;
  const cache = new WeakMap<OperationLogEntry, readonly Finding[]>();
  const rules = (): RuleEngine => {
    if (!compiled) {
      const { compileRules, BUILT_IN_RULES } = insights();
      compiled = compileRules(BUILT_IN_RULES).engine;
    }
    return compiled;
  };
  const of = (entry: OperationLogEntry): readonly Finding[] => {
    let found = cache.get(entry);
    if (!found) {
      found = rules().check(entry);
      cache.set(entry, found);
    }
    return found;
  };
  return {
    of,
    rules: () => rules().rules,
    ofAll(entries) {
      const out: Finding[] = [];
      for (const e of entries) for (const f of of(e)) out.push(f);
      return out;
    },
  };
}
