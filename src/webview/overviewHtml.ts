import { l10n } from '../l10n';
import { renderPage, text, type PageHtmlOptions } from './html';

/**
 * The activity overview's page: a static template with no data in it; the page script fills it with text.
 * Its own texts are translated here, on the extension side, and escaped.
 */
export function renderOverviewHtml(options: PageHtmlOptions): string {
  return renderPage(
    options,
    l10n.t('Activity overview'),
    `  <main id="root"><p>${text(l10n.t('Loading the overview…'))}</p></main>
  <p id="status" class="status" role="status" aria-live="polite"></p>`,
  );
}
