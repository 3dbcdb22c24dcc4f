/**
 * Where exports go (src/output: an editor tab, or a file when too large for one), loaded on the first export: in
 * the extension bundle `require('../output')` becomes `require('./output.js')`, a bundle of its own (dist/output.js,
 * see esbuild.js). Tests and benchmarks bundle it in directly.
 */
import type * as Output from '../output';

let loaded: typeof Output | undefined;

export function output(): typeof Output {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point (see above)
  loaded ??= require('../output') as typeof Output;
  return loaded;
}
