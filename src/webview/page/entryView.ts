/**
 * The entry view's page script (runs in the webview). It fills the static template from
 * `html.ts` with text only: every value goes through `textContent`, never through HTML.
 */
import type { ChangeRow, EntryViewModel, FindingRow, FromPage } from '../protocol';
import { parseToPage } from '../protocol';
import { tokenizeJson } from './jsonTokens';

interface VsCodeApi {
  postMessage(message: FromPage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const STATUS_CLEAR_MS = 2500;

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  // l10n-ignore: a broken template (a developer's error), in the browser where no translation runs
  if (!el) throw new Error(`Entry view template has no #${id}`);
  return el as T;
}

const view = {
  title: element<HTMLHeadingElement>('title'),
  timeLocal: element('timeLocal'),
  timeUtc: element('timeUtc'),
  operator: element('operator'),
  category: element('category'),
  action: element('action'),
  json: element<HTMLPreElement>('json'),
  findingsSection: element('findingsSection'),
  findings: element<HTMLUListElement>('findings'),
  changesSection: element('changesSection'),
  changes: element<HTMLTableSectionElement>('changes'),
  status: element('status'),
  copyJson: element<HTMLButtonElement>('copyJson'),
  openAsDocument: element<HTMLButtonElement>('openAsDocument'),
};

let statusTimer: ReturnType<typeof setTimeout> | undefined;

function show(entry: EntryViewModel): void {
  document.title = entry.title;
  view.title.textContent = entry.title;
  view.timeLocal.textContent = entry.timeLocal;
  view.timeUtc.textContent = entry.timeUtc;
  view.operator.textContent = entry.operator;
  view.category.textContent = entry.category;
  view.action.textContent = entry.action;
  renderFindings(entry.findings);
  renderChanges(entry.changes);
  renderJson(entry.json);
  setStatus('');
  view.copyJson.disabled = false;
  view.openAsDocument.disabled = false;
  vscode.postMessage({ type: 'shown', time: entry.timeUtc, action: entry.action });
}

function text(tag: string, content: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = content;
  if (className) el.className = className;
  return el;
}

const SEVERITY_NAMES: Record<string, string> = { high: 'High', medium: 'Medium', low: 'Low' };

function renderFindings(findings: readonly FindingRow[]): void {
  view.findings.replaceChildren(
    ...findings.map((f) => {
      const li = document.createElement('li');
      const severity = SEVERITY_NAMES[f.severity] ? f.severity : 'low';
      li.className = `finding ${severity}`;
      li.append(
        text('span', SEVERITY_NAMES[severity], 'severity'),
        ' ',
        text('strong', f.title),
        ' ',
        text('span', `(${f.rule})`, 'rule'),
        text('div', f.check, 'check'),
      );
      if (f.note) li.append(text('div', f.note, 'note'));
      return li;
    }),
  );
  view.findingsSection.hidden = findings.length === 0;
}

function renderChanges(changes: readonly ChangeRow[]): void {
  view.changes.replaceChildren(
    ...changes.map((c) => {
      const tr = document.createElement('tr');
      tr.append(text('td', c.setting), text('td', c.from), text('td', c.to));
      return tr;
    }),
  );
  view.changesSection.hidden = changes.length === 0;
}

/** Syntax-coloured JSON: one span per token, text set with `textContent`. */
function renderJson(json: string): void {
  const code = document.createElement('code');
  for (const token of tokenizeJson(json)) {
    if (token.kind === 'text') {
      code.append(token.text);
    } else {
      const span = document.createElement('span');
      span.className = token.kind;
      span.textContent = token.text;
      code.append(span);
    }
  }
  view.json.replaceChildren(code);
}

function setStatus(text: string): void {
  clearTimeout(statusTimer);
  view.status.textContent = text;
  if (text) statusTimer = setTimeout(() => (view.status.textContent = ''), STATUS_CLEAR_MS);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToPage(event.data);
  switch (message?.type) {
    case 'show':
      show(message.entry);
      break;
    case 'copied':
      // Translated by the extension into the template (no translation runs in the page).
      setStatus(view.status.dataset.copied ?? '');
      break;
  }
});

view.copyJson.addEventListener('click', () => vscode.postMessage({ type: 'copyJson' }));
view.openAsDocument.addEventListener('click', () => vscode.postMessage({ type: 'openAsDocument' }));

vscode.postMessage({ type: 'ready' });
