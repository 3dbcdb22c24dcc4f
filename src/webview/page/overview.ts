/**
 * The activity overview's page script (runs in the webview, loaded only when the overview opens). Plain SVG
 * and HTML built with createElement/textContent: no data ever goes through HTML. Colours come from VS Code's
 * --vscode-charts-* variables (media/overview.css). Keyboard: Tab reaches the day chart (arrow keys move
 * between days, Enter or Space filters the tree to the day), each top-list row and the table toggle.
 */
import type {
  CoverageStatus,
  FromPage,
  NameCount,
  OverviewFilterField,
  OverviewModel,
  OverviewTexts,
} from '../overviewProtocol';
import { COVERAGE_STATUSES, fill, NONE_NAME, parseToPage } from '../overviewProtocol';

interface VsCodeApi {
  postMessage(message: FromPage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = 8;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** A theme chart colour per series; after the eight colours, the same ones lighter (`alt`). */
const colour = (i: number): string => `c${i % COLOURS}${i >= COLOURS ? ' alt' : ''}`;

const root = document.getElementById('root') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
// One formatter: toLocaleString builds a new one per call, which cost most of the render time for six months.
const numbers = new Intl.NumberFormat('en-US');
const n = (x: number): string => numbers.format(x);

/** The texts of the model shown last (translated by the extension). */
let texts: OverviewTexts;

function filter(field: OverviewFilterField, value: string, said: string): void {
  vscode.postMessage({ type: 'filter', field, value });
  status.textContent = fill(texts.filtering, said);
}

/** Bars per day: stacked by category (`stack`) or one series. One focusable group per day, arrow keys move. */
function dayChart<D extends { readonly date: string }>(
  days: readonly D[],
  label: string,
  series: (d: D) => number[],
  describe: (d: D) => string,
  cls: string,
  opts: { caption?: string; colourOf?: (d: D, c: number) => string } = {},
): HTMLElement {
  const totals = days.map((d) => series(d).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const H = 100;
  const W = Math.max(1, days.length) * 10;
  const figure = el('figure', `chart ${cls}`);
  const caption = el('figcaption', undefined, opts.caption ?? fill(texts.chartCaption, label, n(max)));
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'group' });
  chart.setAttribute('aria-label', fill(texts.chartLabel, label));
  const groups: SVGGElement[] = [];
  // Bars of one colour are one path for the whole chart (a few elements instead of thousands to lay out);
  // each day keeps its own group with the rectangle that takes clicks, focus and hover.
  const paths: string[][] = [];
  days.forEach((d, i) => {
    const g = svg('g', { class: 'day', role: 'button', tabindex: i === days.length - 1 ? 0 : -1 });
    const said = describe(d);
    g.setAttribute('aria-label', said);
    g.dataset.date = d.date;
    const title = svg('title', {});
    title.textContent = said;
    g.append(title, svg('rect', { class: 'hit', x: i * 10, y: 0, width: 10, height: H }));
    let y = H;
    series(d).forEach((v, c) => {
      if (!v) return;
      const h = (v / max) * (H - 2);
      y -= h;
      if (opts.colourOf) {
        g.append(svg('rect', { class: `bar ${opts.colourOf(d, c)}`, x: i * 10 + 1, y, width: 8, height: h }));
      } else (paths[c] ??= []).push(`M${i * 10 + 1} ${y}h8v${h}h-8z`);
    });
    const pick = (): void => {
      root.querySelectorAll('.day.selected').forEach((x) => x.classList.remove('selected'));
      root.querySelectorAll(`.day[data-date="${d.date}"]`).forEach((x) => x.classList.add('selected'));
      filter('date', d.date, d.date);
    };
    g.addEventListener('click', pick);
    g.addEventListener('keydown', (ev) => {
      const k = ev.key;
      if (k === 'Enter' || k === ' ') {
        ev.preventDefault();
        pick();
        return;
      }
      const step =
        k === 'ArrowRight' ? 1 : k === 'ArrowLeft' ? -1 : k === 'Home' ? -i : k === 'End' ? days.length - 1 - i : 0;
      if (!step) return;
      ev.preventDefault();
      const next = groups[i + step];
      if (!next) return;
      g.setAttribute('tabindex', '-1');
      next.setAttribute('tabindex', '0');
      next.focus();
    });
    groups.push(g);
    chart.append(g);
  });
  paths.forEach((p, c) => chart.append(svg('path', { class: `bar ${colour(c)}`, d: p.join('') })));
  const axis = el('div', 'axis');
  if (days.length) {
    axis.append(el('span', undefined, days[0].date), el('span', undefined, days[days.length - 1].date));
  }
  figure.append(caption, chart, axis);
  return figure;
}

/** The archive's coverage of the range, one square per day coloured by its status (only with an archive). */
function coverageStrip(model: OverviewModel): HTMLElement[] {
  const days = model.coverage;
  if (!days?.length) return [];
  const count = (s: CoverageStatus): number => days.filter((d) => d.status === s).length;
  const status = (s: CoverageStatus): string => texts[`coverage_${s}`];
  const strip = dayChart(
    days,
    texts.coverageChart,
    () => [1],
    (d) => fill(texts.coverageDay, d.date, status(d.status)),
    'coverage',
    {
      caption: fill(texts.coverageCaption, n(count('complete')), n(days.length), n(count('atRisk')), n(count('lost'))),
      colourOf: (d) => `cov-${d.status}`,
    },
  );
  const key = el('div', 'legend');
  for (const s of COVERAGE_STATUSES) {
    if (!count(s)) continue;
    const item = el('span', 'legend-item');
    item.append(el('span', `swatch cov-${s}`), el('span', undefined, `${status(s)} (${n(count(s))})`));
    key.append(item);
  }
  return [strip, key];
}

function legend(model: OverviewModel): HTMLElement {
  const ul = el('ul', 'legend');
  ul.setAttribute('aria-label', texts.legend);
  model.categories.forEach((c, i) => {
    const b = el('button', 'link');
    b.type = 'button';
    b.append(el('span', `swatch ${colour(i)}`), document.createTextNode(c));
    b.addEventListener('click', () => filter('category', c, `category ${c}`));
    const li = el('li');
    li.append(b);
    ul.append(li);
  });
  return ul;
}

function topList(title: string, items: readonly NameCount[], field: OverviewFilterField): HTMLElement {
  const section = el('section', 'top');
  const h = el('h2', undefined, title);
  section.append(h);
  if (!items.length) {
    section.append(el('p', 'empty', texts.empty));
    return section;
  }
  const max = Math.max(1, ...items.map((x) => x.count));
  const ol = el('ol');
  for (const item of items) {
    const b = el('button', 'row');
    b.type = 'button';
    b.dataset.field = field;
    b.dataset.value = item.name;
    // The name stays the filter value; `(none)` is shown in the person's language.
    const shown = item.name === NONE_NAME ? texts.none : item.name;
    b.setAttribute('aria-label', fill(texts.topRow, shown, n(item.count)));
    const bar = el('span', 'meter');
    bar.style.width = `${Math.round((item.count / max) * 100)}%`;
    b.append(el('span', 'name', shown), el('span', 'count', n(item.count)), bar);
    b.addEventListener('click', () => filter(field, item.name, `${field} ${shown}`));
    const li = el('li');
    li.append(b);
    ol.append(li);
  }
  section.append(ol);
  return section;
}

/**
 * The same numbers as a table: one row per day with entries, per category and findings. The rows are built when
 * the table is first opened: six months are thousands of cells nobody sees until then.
 */
function table(model: OverviewModel): HTMLElement {
  const details = el('details', 'numbers');
  details.append(el('summary', undefined, texts.table));
  let built = false;
  details.addEventListener('toggle', () => {
    if (!details.open || built) return;
    built = true;
    details.append(tableOf(model));
  });
  return details;
}

function tableOf(model: OverviewModel): HTMLElement {
  const t = el('table');
  const head = el('tr');
  for (const h of [texts.date, texts.entries, ...model.categories, texts.findings]) {
    const th = el('th', undefined, h);
    th.scope = 'col';
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const d of model.days) {
    if (!d.entries && !d.findings) continue;
    const tr = el('tr');
    const th = el('th', undefined, d.date);
    th.scope = 'row';
    tr.append(
      th,
      el('td', undefined, n(d.entries)),
      ...d.byCategory.map((v) => el('td', undefined, n(v))),
      el('td', undefined, n(d.findings)),
    );
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}

function show(model: OverviewModel): void {
  const start = performance.now();
  texts = model.texts;
  document.title = model.title;
  const header = el('header');
  const t = model.totals;
  header.append(
    el('h1', undefined, model.title),
    el(
      'p',
      'summary',
      fill(texts.summary, model.range, n(t.entries), n(t.operators), n(t.findings), n(t.high), n(t.medium), n(t.low)),
    ),
  );
  const entries = dayChart(
    model.days,
    texts.entriesChart,
    (d) => d.byCategory as number[],
    (d) =>
      fill(
        texts.entriesDay,
        d.date,
        n(d.entries),
        d.byCategory.map((v, i) => (v ? `, ${model.categories[i]} ${n(v)}` : '')).join(''),
      ),
    'entries',
  );
  const findings = dayChart(
    model.days,
    texts.findingsChart,
    (d) => [d.findings],
    (d) => fill(texts.findingsDay, d.date, n(d.findings)),
    'findings',
  );
  const tops = el('div', 'tops');
  tops.append(
    topList(texts.topOperators, model.topOperators, 'operator'),
    topList(texts.topActions, model.topActions, 'action'),
    topList(texts.topTargets, model.topTargets, 'target'),
  );
  root.replaceChildren(header, entries, legend(model), findings, ...coverageStrip(model), tops, table(model));
  const ms = performance.now() - start;
  // Layout once, so the figure includes the first style and layout of what was built.
  void root.offsetHeight;
  vscode.postMessage({ type: 'rendered', days: model.days.length, ms: performance.now() - start || ms });
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseToPage(event.data);
  if (message?.type === 'show') show(message.model);
});

vscode.postMessage({ type: 'ready' });
