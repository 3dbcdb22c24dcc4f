/**
 * The webview panels (src/webview/index.ts), loaded on first use: in the extension bundle `require('../webview')`
 * becomes `require('./panels.js')`, a bundle of its own (dist/panels.js, see esbuild.js). Opening an entry or the
 * overview loads it; activation does not. Tests and benchmarks bundle it in directly.
 */
import type * as Panels from '../webview';

let loaded: typeof Panels | undefined;

export function panels(): typeof Panels {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point (see above)
  loaded ??= require('../webview') as typeof Panels;
  return loaded;
}

/** The loaded module, without loading it (undefined until a panel was opened). */
export function panelsIfLoaded(): typeof Panels | undefined {
  return loaded;
}
