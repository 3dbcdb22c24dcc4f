/**
 * The entry view's page script (runs in the webview). It fills the static template from
 * `html.ts` with text only: every value goes through `textContent`, never through HTML.
 */
import type { EntryViewModel, FromPage } from '../protocol';
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
  renderJson(entry.json);
  setStatus('');
  view.copyJson.disabled = false;
  view.openAsDocument.disabled = false;
  vscode.postMessage({ type: 'shown', time: entry.timeUtc, action: entry.action });
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
      setStatus('Copied');
      break;
  }
});

view.copyJson.addEventListener('click', () => vscode.postMessage({ type: 'copyJson' }));
view.openAsDocument.addEventListener('click', () => vscode.postMessage({ type: 'openAsDocument' }));

vscode.postMessage({ type: 'ready' });
