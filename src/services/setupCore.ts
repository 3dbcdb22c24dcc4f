/**
 * Zoom: Check Setup's core (src/zoom/setupCheck.ts), loaded on first use: in the extension bundle
 * `require('../zoom/setupCheck')` becomes `require('./setup.js')`, a bundle of its own (esbuild.js), so activation
 * neither reads nor parses it. ZoomError carries a Symbol.for brand, so errors cross between the two copies of
 * src/zoom. Tests and benchmarks bundle it in directly.
 */
import type * as Setup from '../zoom/setupCheck';

let loaded: typeof Setup | undefined;

export function setupCore(): typeof Setup {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point (see above)
  loaded ??= require('../zoom/setupCheck') as typeof Setup;
  return loaded;
}
