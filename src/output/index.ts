/**
 * Where an export goes (uses `vscode`): an editor tab, or a file the person chooses when the text is too large for
 * one. Loaded on the first export, not at activation: in the extension bundle `require('../output')` becomes
 * `require('./output.js')` (src/services/output.ts, esbuild.js). The archive core it writes files with stays
 * dist/archive.js.
 */
export { openOrSave, type OutputResult, type OutputText } from './openOrSave';
export { formatChunks } from '../export/formats';
export { exportEvidencePack, verifyEvidencePack, type EvidenceArgs, type EvidenceSource } from './evidence';
