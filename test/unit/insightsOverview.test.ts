/**
 * The overview page's model (src/webview/overviewModel.ts, its own fast pass) against insights' overview() over
 * a large simulator data set: many distinct targets, ties in the top tens, findings on many days.
 */
import assert from 'node:assert/strict';
import { BUILT_IN_RULES, compileRules, overview, parsedOf } from '../../src/insights';
import { DateKeyer } from '../../src/model/timeZones';
import { buildOverviewModel } from '../../src/webview/overviewModel';
import { entriesFromRaw } from './support/helpers';
import { generateEntries } from '../simulator/data';

const entries = entriesFromRaw;

describe('Insights: the overview model against overview()', () => {
  for (const zone of ['UTC', 'local'] as const) {
    it(`the same days, categories, findings and top tens over 30,000 simulator entries (${zone} dates)`, () => {
      const list = entries(generateEntries({ seed: 7, count: 30000, now: Date.UTC(2026, 10, 26) }));
      const { engine } = compileRules(BUILT_IN_RULES, [], ['*@it.example.com']);
      const findings = list.flatMap((e) => engine.check(e));
      const keyer = new DateKeyer(zone);
      const dateKey = (ms: number): string => keyer.dateKey(ms);
      const dates = list.map((e) => dateKey(e.timeMs)).sort();
      const model = buildOverviewModel(list, findings, {
        dateKey,
        from: dates[0],
        to: dates[dates.length - 1],
        range: 'r',
      });
      const ref = overview(list, findings, dateKey);
      const targets = new Set(list.map((e) => parsedOf(e).target?.name).filter(Boolean));
      assert.ok(targets.size > 1000, `distinct targets: ${targets.size}`);
      assert.ok(findings.length > 1000, `findings: ${findings.length}`);
      assert.deepEqual(model.topOperators, ref.topOperators);
      assert.deepEqual(model.topActions, ref.topActions);
      assert.deepEqual(model.topTargets, ref.topTargets);
      assert.equal(model.totals.entries, ref.totals.entries);
      assert.equal(model.totals.findings, ref.totals.findings);
      assert.equal(model.totals.operators, ref.totals.operators);
      assert.deepEqual(
        [model.totals.high, model.totals.medium, model.totals.low],
        [ref.totals.findingsBySeverity.high, ref.totals.findingsBySeverity.medium, ref.totals.findingsBySeverity.low],
      );
      assert.equal(model.categories.length, ref.totals.categories);
      const withEntries = model.days.filter((d) => d.entries > 0);
      assert.equal(withEntries.length, ref.days.length);
      for (const d of ref.days) {
        const mine = model.days.find((x) => x.date === d.date);
        assert.ok(mine, d.date);
        assert.equal(mine.entries, d.entries, d.date);
        assert.equal(mine.findings, d.findings, d.date);
        assert.deepEqual(
          Object.fromEntries(model.categories.map((c, i) => [c, mine.byCategory[i]]).filter(([, v]) => v)),
          { ...d.byCategory },
        );
      }
    });
  }
});
