/**
 * The insights core (src/insights: detail parser, rules, filter syntax, aggregation), loaded on first use.
 * In the extension bundle `require('../insights')` becomes `require('./insights.js')`, a bundle of its own
 * (dist/insights.js, see esbuild.js), so activation neither reads nor parses it: the filter syntax, Group by,
 * findings and the overview load it when first used. Tests and benchmarks bundle it in directly.
 */
import type * as Insights from '../insights';

let loaded: typeof Insights | undefined;

export function insights(): typeof Insights {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point (see above)
  loaded ??= require('../insights') as typeof Insights;
  return loaded;
}
