import { randomBytes } from 'node:crypto';
import { l10n } from '../l10n';

/** What every page of ours needs from its webview; `renderPage` adds the title and body. */
export interface PageHtmlOptions {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  /** A fresh value from {@link makeNonce} for every assignment of `webview.html`. */
  readonly nonce: string;
  /** `webview.asWebviewUri(...)` of the page's script in `media/`, as a string. */
  readonly scriptUri: string;
  /** `webview.asWebviewUri(...)` of the page's style sheet in `media/`, as a string. */
  readonly styleUri: string;
}

/** 128 random bits, base64url: the script nonce for one render of the page. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64url');
}

/**
 * A page of ours: no inline script or style, only the page's own script (by nonce) and style sheet (by the
 * webview's source), and no data: the page script fills it in with `textContent` from posted messages.
 * `title` is plain text (escaped here); `body` is markup the caller built with `text()`/`attr()`.
 */
export function renderPage(
  { cspSource, nonce, scriptUri, styleUri }: PageHtmlOptions,
  title: string,
  body: string,
): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(styleUri)}">
  <title>${text(title)}</title>
</head>
<body>
${body}
  <script nonce="${attr(nonce)}" src="${attr(scriptUri)}"></script>
</body>
</html>
`;
}

/**
 * The entry view's page: a static template with no entry data in it. The page script fills it
 * in with `textContent` when the extension posts a `show` message. Its own texts (headings, buttons)
 * are translated here, on the extension side, and escaped.
 */
export function renderEntryHtml(options: PageHtmlOptions): string {
  return renderPage(
    options,
    l10n.t('Operation log entry'),
    `  <header>
    <h1 id="title"></h1>
    <div class="actions">
      <button type="button" id="copyJson" disabled>${text(l10n.t('Copy JSON'))}</button>
      <button type="button" id="openAsDocument" disabled>${text(l10n.t('Open as JSON Document'))}</button>
      <span id="status" class="status" role="status" aria-live="polite" data-copied="${attr(l10n.t('Copied'))}"></span>
    </div>
  </header>
  <main>
    <dl class="fields">
      <dt>${text(l10n.t('Time'))}</dt>
      <dd id="timeLocal"></dd>
      <dt>${text(l10n.t('Time (UTC)'))}</dt>
      <dd id="timeUtc"></dd>
      <dt>${text(l10n.t('Operator'))}</dt>
      <dd id="operator"></dd>
      <dt>${text(l10n.t('Category'))}</dt>
      <dd id="category"></dd>
      <dt>${text(l10n.t('Action'))}</dt>
      <dd id="action"></dd>
    </dl>
    <section id="findingsSection" aria-labelledby="findingsHeading" hidden>
      <h2 id="findingsHeading">${text(l10n.t('Findings'))}</h2>
      <ul id="findings" class="findings"></ul>
    </section>
    <section id="changesSection" aria-labelledby="changesHeading" hidden>
      <h2 id="changesHeading">${text(l10n.t('Changes'))}</h2>
      <table class="changes">
        <thead><tr><th scope="col">${text(l10n.t('Setting'))}</th><th scope="col">${text(l10n.t('From'))}</th><th scope="col">${text(l10n.t('To'))}</th></tr></thead>
        <tbody id="changes"></tbody>
      </table>
    </section>
    <pre id="json" tabindex="0" aria-label="${attr(l10n.t('Entry as JSON'))}"><code></code></pre>
  </main>`,
  );
}

/** Escapes a value for a double-quoted attribute. */
export function attr(value: string): string {
  return value.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Escapes a (translated) text for an element's content. */
export function text(value: string): string {
  return value.replace(/[&<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
