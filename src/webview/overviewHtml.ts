import { l10n } from '../l10n';
import { text } from './html';

/**
 * The activity overview's page: a static template with no data in it; the page script fills it with text.
 * Its own texts are translated here, on the extension side, and escaped.
 */
export function renderOverviewHtml(o: {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}): string {
  const csp = [
    `default-src 'none'`,
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${o.nonce}'`,
    `img-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${attr(csp)};">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${attr(o.styleUri)}">
  <title>${text(l10n.t('Activity overview'))}</title>
</head>
<body>
  <main id="root"><p>${text(l10n.t('Loading the overview…'))}</p></main>
  <p id="status" class="status" role="status" aria-live="polite"></p>
  <script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>
`;
}

function attr(value: string): string {
  return value.replace(/[&"<>]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
