/**
 * The webview panels (an entry, the activity overview) and the overview's model, loaded on first use: in the
 * extension bundle `require('../webview')` in src/services/panels.ts becomes `require('./panels.js')`, a bundle
 * of its own (esbuild.js), so activation neither reads nor parses them. They use `vscode` (external there too)
 * and the insights core through its own lazy loader, so dist/insights.js stays one module.
 */
export { EntryPanel } from './entryPanel';
export { OverviewPanel } from './overviewPanel';
export { buildOverviewModel, overviewCoverage, type CoverageSource } from './overviewModel';
