/**
 * Every command ID, view ID and context key the extension uses, in one place
 * (plain Node: no `vscode`, so unit tests can compare it with package.json).
 * `test/unit/ids.test.ts` fails when this list and `contributes.commands` disagree.
 */

/** The prefix of every ID the extension contributes (also the settings section). */
export const PREFIX = 'zoomOperationLogs';

export const COMMANDS = {
  setToken: 'zoomOperationLogs.setToken',
  signInS2S: 'zoomOperationLogs.signInS2S',
  signOut: 'zoomOperationLogs.signOut',
  checkSetup: 'zoomOperationLogs.checkSetup',
  fetch: 'zoomOperationLogs.fetch',
  refresh: 'zoomOperationLogs.refresh',
  filter: 'zoomOperationLogs.filter',
  clearFilter: 'zoomOperationLogs.clearFilter',
  export: 'zoomOperationLogs.export',
  exportNode: 'zoomOperationLogs.exportNode',
  loadMore: 'zoomOperationLogs.loadMore',
  openEntry: 'zoomOperationLogs.openEntry',
  copyJson: 'zoomOperationLogs.copyJson',
  copyOperator: 'zoomOperationLogs.copyOperator',
  copyDetail: 'zoomOperationLogs.copyDetail',
  retry: 'zoomOperationLogs.retry',
  showLog: 'zoomOperationLogs.showLog',
  scanRange: 'zoomOperationLogs.scanRange',
  exportFindings: 'zoomOperationLogs.exportFindings',
  syncArchive: 'zoomOperationLogs.syncArchive',
  showArchiveCoverage: 'zoomOperationLogs.showArchiveCoverage',
  exportEvidencePack: 'zoomOperationLogs.exportEvidencePack',
  verifyEvidencePack: 'zoomOperationLogs.verifyEvidencePack',
  groupBy: 'zoomOperationLogs.groupBy',
  searchWholeRange: 'zoomOperationLogs.searchWholeRange',
  showOverview: 'zoomOperationLogs.showOverview',
  addAccount: 'zoomOperationLogs.addAccount',
  renameAccount: 'zoomOperationLogs.renameAccount',
  removeAccount: 'zoomOperationLogs.removeAccount',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** The Operation Logs tree view. */
export const VIEW_ID = 'zoomOperationLogs.logs';

/** The Findings tree view (same container). */
export const FINDINGS_VIEW_ID = 'zoomOperationLogs.findings';
/** The Archive coverage view. */
export const ARCHIVE_VIEW_ID = 'zoomOperationLogs.archive';

/** Context keys used in `when` clauses of package.json. */
export const CONTEXT_KEYS = {
  signedIn: 'zoomOperationLogs.signedIn',
  filtered: 'zoomOperationLogs.filtered',
  /** Walkthrough: Check Setup found nothing wrong. */
  setupChecked: 'zoomOperationLogs.setupChecked',
  /** Walkthrough: a fetch showed a query. */
  fetched: 'zoomOperationLogs.fetched',
  /** Walkthrough: a scan for risky changes finished. */
  scanned: 'zoomOperationLogs.scanned',
  /** Walkthrough: an archive sync finished. */
  archiveSynced: 'zoomOperationLogs.archiveSynced',
} as const;

/** VS Code's own commands that tree nodes run (`setContext` is VS Code API and stays a literal). */
export const BUILTIN_COMMANDS = {
  openSettings: 'workbench.action.openSettings',
  open: 'vscode.open',
} as const;
