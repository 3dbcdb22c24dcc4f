import * as vscode from 'vscode';
import { ARCHIVE_VIEW_ID, COMMANDS } from '../commands/ids';
import { STATE_KEYS } from '../config/keys';
import type { ArchiveService } from '../services/archiveService';
import { coverageItems, type CoverageItem } from './coverageModel';

/** What the Archive view reads: an account's ArchiveService, or the active account's (commands/archive.ts). */
export type ArchiveViewSource = Pick<ArchiveService, 'onDidChange' | 'archive' | 'coverage' | 'syncing' | 'today'>;

/**
 * The "Archive" view: which days are archived and complete, which are missing, and which will
 * fall off Zoom's horizon soon (coverageModel.ts draws it), plus the horizon warning as one
 * notification a day while it holds.
 */
export class ArchiveView implements vscode.Disposable {
  readonly treeView: vscode.TreeView<CoverageItem>;
  private readonly changed = new vscode.EventEmitter<CoverageItem | undefined>();
  private items: CoverageItem[] = [];
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly service: ArchiveViewSource,
    private readonly globalState: vscode.Memento,
  ) {
    const provider: vscode.TreeDataProvider<CoverageItem> = {
      onDidChangeTreeData: this.changed.event,
      getChildren: (item) => (item ? [...(item.children ?? [])] : this.items),
      getTreeItem: (item) => toTreeItem(item),
    };
    this.treeView = vscode.window.createTreeView(ARCHIVE_VIEW_ID, { treeDataProvider: provider });
    this.disposables.push(
      this.treeView,
      service.onDidChange(() => {
        this.redraw();
        void this.checkWarning();
      }),
    );
    this.redraw();
    // The warning is a matter of days: look again every hour (a notification at most once a day).
    this.timer = setInterval(() => {
      this.redraw();
      void this.checkWarning();
    }, 3_600_000);
  }

  /** Draws the coverage again from the open archive's manifest (no I/O). */
  redraw(): void {
    const archive = this.service.archive;
    const cov = this.service.coverage();
    const last = archive?.manifest.lastSync;
    this.items = coverageItems(cov, { syncing: this.service.syncing, lastSync: last });
    this.treeView.description = cov?.warning ? cov.warning.message : undefined;
    this.treeView.badge = cov?.warning ? { value: cov.warning.days, tooltip: cov.warning.message } : undefined;
    this.changed.fire(undefined);
  }

  /**
   * Shows the horizon warning as a notification once per UTC day while it holds; "Sync now"
   * syncs. Returns the message when it was shown now.
   */
  async checkWarning(): Promise<string | undefined> {
    const warning = this.service.coverage()?.warning;
    const today = this.service.today();
    // While a sync runs the coverage is about to change: judge it when the sync is over.
    if (!warning || this.service.syncing || this.globalState.get<string>(STATE_KEYS.archiveWarningShownOn) === today) {
      return undefined;
    }
    await this.globalState.update(STATE_KEYS.archiveWarningShownOn, today);
    const sync = vscode.l10n.t('Sync now');
    void vscode.window
      .showWarningMessage(
        vscode.l10n.t(
          'Zoom operation logs: {0}. These days are not archived completely and Zoom keeps only six months.',
          warning.message,
        ),
        sync,
      )
      .then((pick) => {
        if (pick === sync) void vscode.commands.executeCommand(COMMANDS.syncArchive);
      });
    return warning.message;
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function toTreeItem(item: CoverageItem): vscode.TreeItem {
  const t = new vscode.TreeItem(
    item.label,
    item.children?.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  t.id = item.id;
  t.description = item.description;
  t.tooltip = item.tooltip;
  t.contextValue = item.contextValue;
  t.iconPath = new vscode.ThemeIcon(item.icon, item.color ? new vscode.ThemeColor(item.color) : undefined);
  if (item.command) t.command = { ...item.command };
  return t;
}
