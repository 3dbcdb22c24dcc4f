/**
 * The archive core (src/archive: files on disk, sync, coverage, evidence packs), loaded on first use.
 * In the extension bundle `require('../archive')` becomes `require('./archive.js')`, a bundle of its own
 * (dist/archive.js, see esbuild.js), so activation neither reads nor parses it. Its copy of src/zoom
 * still recognises the extension's ZoomErrors (see ZoomError's Symbol.hasInstance).
 */
import type * as Archive from '../archive';

let loaded: typeof Archive | undefined;

export function archiveCore(): typeof Archive {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load is the point (see above)
  loaded ??= require('../archive') as typeof Archive;
  return loaded;
}
