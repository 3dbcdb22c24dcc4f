import * as vscode from 'vscode';
import type { Finding } from '../insights';
import type { OperationLogEntry } from '../zoom/types';
import { renderEntryHtml } from './html';
import { PagePanel } from './pagePanel';
import type { EntryViewModel, FromPage, ToPage } from './protocol';
import { parseFromPage } from './protocol';
import type { TimeZoneSetting } from '../model/timeZones';
import { toViewModel } from './viewModel';

export interface EntryPanelOptions {
  readonly timeZone: TimeZoneSetting;
  readonly log?: (message: string) => void;
  /** The rules that flag the entry, shown above its changes. */
  readonly findings?: readonly Finding[];
}

type Shown = { time: string; action: string };

/**
 * One reusable webview panel showing a single operation-log entry, like a preview: showing
 * another entry replaces the content of the open panel.
 */
export class EntryPanel extends PagePanel<ToPage> {
  static readonly viewType = 'zoomOperationLogs.entry';
  static current: EntryPanel | undefined;

  /** Opens or reuses the panel, reveals it with focus and shows the entry. */
  static show(extensionUri: vscode.Uri, entry: OperationLogEntry, opts: EntryPanelOptions): EntryPanel {
    const model = toViewModel(entry, opts.timeZone, opts.findings);
    let current = EntryPanel.current;
    if (current) {
      current.panel.reveal(undefined, false);
    } else {
      current = EntryPanel.current = new EntryPanel(extensionUri, model.title);
    }
    current.logger = opts.log;
    current.showModel(model);
    return current;
  }

  private logger: ((message: string) => void) | undefined;
  private model: EntryViewModel | undefined;
  private shown: Shown | undefined;
  private readonly shownWaiters: { resolve(shown: Shown): void; reject(error: Error): void }[] = [];

  private constructor(extensionUri: vscode.Uri, title: string) {
    super(extensionUri, {
      viewType: EntryPanel.viewType,
      title,
      script: 'entryView.js',
      style: 'entryView.css',
      html: renderEntryHtml,
      name: 'Entry view',
    });
  }

  /** Resolves when the page reports `shown` for the current entry (for tests). */
  whenShown(): Promise<Shown> {
    if (this.disposed) return Promise.reject(new Error(vscode.l10n.t('The entry panel is closed.')));
    if (this.shown) return Promise.resolve(this.shown);
    return new Promise((resolve, reject) => this.shownWaiters.push({ resolve, reject }));
  }

  protected closing(): void {
    if (EntryPanel.current === this) EntryPanel.current = undefined;
    const closed = vscode.l10n.t('The entry panel was closed.');
    for (const waiter of this.shownWaiters.splice(0)) waiter.reject(new Error(closed));
  }

  protected log(message: string): void {
    this.logger?.(message);
  }

  private showModel(model: EntryViewModel): void {
    this.model = model;
    this.shown = undefined;
    this.panel.title = model.title;
    // Until the page is ready the model waits; `ready` posts the latest one.
    if (this.pageReady) this.post({ type: 'show', entry: model });
  }

  /** Handles one message from the page; anything that is not a valid FromPage is ignored. Public for tests. */
  receive(raw: unknown): void {
    const message = parseFromPage(raw);
    if (!message) {
      this.ignored(raw);
      return;
    }
    try {
      this.handle(message);
    } catch (error) {
      this.log(`Entry view: handling '${message.type}' failed: ${String(error)}`);
    }
  }

  private handle(message: FromPage): void {
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        if (this.model) this.post({ type: 'show', entry: this.model });
        break;
      case 'shown':
        this.onShown(message);
        break;
      case 'copyJson':
        void this.copyJson();
        break;
      case 'openAsDocument':
        void this.openAsDocument();
        break;
    }
  }

  private onShown(shown: Shown): void {
    const model = this.model;
    // A late `shown` for a previous entry does not count.
    if (!model || shown.time !== model.timeUtc || shown.action !== model.action) return;
    this.shown = { time: shown.time, action: shown.action };
    for (const waiter of this.shownWaiters.splice(0)) waiter.resolve(this.shown);
  }

  private async copyJson(): Promise<void> {
    if (!this.model) return;
    try {
      await vscode.env.clipboard.writeText(this.model.json);
      vscode.window.setStatusBarMessage('$(check) Copied entry JSON', 3000);
      this.post({ type: 'copied' });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not copy the entry: {0}', String(error)));
    }
  }

  private async openAsDocument(): Promise<void> {
    if (!this.model) return;
    try {
      const document = await vscode.workspace.openTextDocument({ language: 'json', content: this.model.json });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: false });
    } catch (error) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not open the entry as a document: {0}', String(error)));
    }
  }
}
