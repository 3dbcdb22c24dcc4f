import * as vscode from 'vscode';
import { renderOverviewHtml } from './overviewHtml';
import { PagePanel } from './pagePanel';
import {
  parseFromPage,
  type FromPage,
  type OverviewFilterField,
  type OverviewModel,
  type ToPage,
} from './overviewProtocol';

export interface OverviewPanelOptions {
  /** A click on a day, operator, action, target or category. */
  readonly onFilter: (field: OverviewFilterField, value: string) => void;
  readonly log?: (message: string) => void;
}

/** The activity overview: one reusable webview panel; the page script loads only when it opens. */
export class OverviewPanel extends PagePanel<ToPage> {
  static readonly viewType = 'zoomOperationLogs.overview';
  static current: OverviewPanel | undefined;

  static show(extensionUri: vscode.Uri, model: OverviewModel, opts: OverviewPanelOptions): OverviewPanel {
    let current = OverviewPanel.current;
    if (current) current.panel.reveal(undefined, false);
    else current = OverviewPanel.current = new OverviewPanel(extensionUri);
    current.opts = opts;
    current.showModel(model);
    return current;
  }

  private opts: OverviewPanelOptions | undefined;
  private model: OverviewModel | undefined;
  private rendered: { days: number; ms: number } | undefined;
  private readonly waiters: { resolve(r: { days: number; ms: number }): void; reject(e: Error): void }[] = [];

  private constructor(extensionUri: vscode.Uri) {
    super(extensionUri, {
      viewType: OverviewPanel.viewType,
      title: vscode.l10n.t('Activity Overview'),
      script: 'overview.js',
      style: 'overview.css',
      html: renderOverviewHtml,
      name: 'Activity overview',
    });
  }

  /** Resolves when the page has drawn the current model (for tests). */
  whenRendered(): Promise<{ days: number; ms: number }> {
    if (this.disposed) return Promise.reject(new Error(vscode.l10n.t('The overview is closed.')));
    if (this.rendered) return Promise.resolve(this.rendered);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Handles one message from the page; anything that is not a valid FromPage is ignored. Public for tests. */
  receive(raw: unknown): FromPage | undefined {
    const message = parseFromPage(raw);
    if (!message) {
      this.ignored(raw);
      return undefined;
    }
    switch (message.type) {
      case 'ready':
        this.pageReady = true;
        if (this.model) this.post({ type: 'show', model: this.model });
        break;
      case 'rendered':
        this.rendered = { days: message.days, ms: message.ms };
        for (const w of this.waiters.splice(0)) w.resolve(this.rendered);
        break;
      case 'filter':
        this.opts?.onFilter(message.field, message.value);
        break;
    }
    return message;
  }

  private showModel(model: OverviewModel): void {
    this.model = model;
    this.rendered = undefined;
    if (this.pageReady) this.post({ type: 'show', model });
  }

  protected closing(): void {
    if (OverviewPanel.current === this) OverviewPanel.current = undefined;
    for (const w of this.waiters.splice(0)) w.reject(new Error(vscode.l10n.t('The overview was closed.')));
  }

  protected log(message: string): void {
    this.opts?.log?.(message);
  }
}
