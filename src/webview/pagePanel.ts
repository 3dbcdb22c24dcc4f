import * as vscode from 'vscode';
import { makeNonce, type PageHtmlOptions } from './html';

/** What a panel's page is: its script and style sheet in `media/`, and how its HTML is made from them. */
export interface PageSpec {
  readonly viewType: string;
  readonly title: string;
  readonly script: string;
  readonly style: string;
  readonly html: (options: PageHtmlOptions) => string;
  /** Prefix of the panel's log lines (`Entry view`, `Activity overview`). */
  readonly name: string;
}

/**
 * What the entry view and the activity overview share: one webview panel whose page loads its script from
 * `media/` under a fresh nonce, says `ready` when it (re)loads (a hidden page is discarded, and says `ready`
 * again when shown), and exchanges messages the subclass validates. Subclasses handle messages and say what
 * to do when the panel closes.
 */
export abstract class PagePanel<ToPage extends { readonly type: string }> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  /** True between the page's `ready` and the page going away (hidden or reloaded). */
  protected pageReady = false;
  protected disposed = false;
  private readonly disposables: vscode.Disposable[] = [];

  protected constructor(
    extensionUri: vscode.Uri,
    private readonly spec: PageSpec,
  ) {
    this.panel = vscode.window.createWebviewPanel(
      spec.viewType,
      spec.title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
        retainContextWhenHidden: false,
      },
    );
    this.disposables.push(
      this.panel.onDidDispose(() => this.dispose()),
      this.panel.onDidChangeViewState(() => {
        if (!this.panel.visible) this.pageReady = false;
      }),
      this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
    );
    const { webview } = this.panel;
    const media = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file)).toString();
    webview.html = spec.html({
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      scriptUri: media(spec.script),
      styleUri: media(spec.style),
    });
  }

  /** Handles one message from the page; anything the protocol does not accept is ignored. Public for tests. */
  abstract receive(raw: unknown): unknown;

  /** The panel is closing: reject waiters, forget `current`. */
  protected abstract closing(): void;

  protected abstract log(message: string): void;

  /** Logs that a message from the page was not valid, with its type only (never its content). */
  protected ignored(raw: unknown): void {
    this.log(`${this.spec.name}: ignored an invalid message (${typeof raw}).`);
  }

  protected post(message: ToPage): void {
    void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
      this.log(`${this.spec.name}: posting '${message.type}' failed: ${String(error)}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.closing();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}
