import * as vscode from 'vscode';
import {
  checkRangeWithArchive,
  describeRange,
  isRangePreset,
  presetRange,
  rangePresets,
  type DateRange,
} from '../model/ranges';
import { CATEGORIES, CATEGORY_LABELS, isKnownCategory, todayUtc, type KnownCategory } from '../zoom';

export interface FetchArgs {
  preset?: string;
  from?: string;
  to?: string;
  categories?: string[];
}

export interface QueryChoice extends DateRange {
  categories: KnownCategory[];
}

/**
 * Resolves `Zoom: Fetch Operation Logs`: a range (preset or custom) and the
 * categories. Arguments skip the pickers; invalid arguments throw a message.
 */
export async function chooseQuery(
  args: FetchArgs | undefined,
  defaultPreset: string,
  nowMs = Date.now(),
  archivedFrom?: string,
): Promise<QueryChoice | undefined> {
  const today = todayUtc(nowMs);
  let range: DateRange | undefined;
  if (args?.from !== undefined || args?.to !== undefined) {
    const problem = checkRangeWithArchive(String(args.from ?? ''), String(args.to ?? ''), today, archivedFrom);
    if (problem) throw new Error(problem);
    range = { from: String(args.from).trim(), to: String(args.to).trim() };
  } else if (args?.preset !== undefined) {
    if (!isRangePreset(args.preset)) {
      throw new Error(
        vscode.l10n.t(
          'Unknown range "{0}". Use one of: {1}.',
          String(args.preset),
          rangePresets()
            .map((p) => p.id)
            .join(', '),
        ),
      );
    }
    range = presetRange(args.preset, nowMs);
  } else {
    range = await pickRange(defaultPreset, nowMs, archivedFrom);
  }
  if (!range) return undefined;

  let categories: KnownCategory[] | undefined;
  if (args?.categories !== undefined) {
    const unknown = args.categories.filter((c) => !isKnownCategory(c));
    if (unknown.length) {
      throw new Error(
        unknown.length === 1
          ? vscode.l10n.t('Unknown category: {0}. Use: {1}.', unknown.join(', '), CATEGORIES.join(', '))
          : vscode.l10n.t('Unknown categories: {0}. Use: {1}.', unknown.join(', '), CATEGORIES.join(', ')),
      );
    }
    categories = CATEGORIES.filter((c) => args.categories?.includes(c));
    if (!categories.length) throw new Error(vscode.l10n.t('Choose at least one category.'));
  } else if (args?.preset !== undefined || args?.from !== undefined) {
    categories = [...CATEGORIES];
  } else {
    categories = await pickCategories();
  }
  return categories ? { ...range, categories } : undefined;
}

async function pickRange(defaultPreset: string, nowMs: number, archivedFrom?: string): Promise<DateRange | undefined> {
  type Item = vscode.QuickPickItem & { range?: DateRange };
  const items: Item[] = rangePresets().map((p) => {
    const r = presetRange(p.id, nowMs);
    return { label: p.label, description: describeRange(r), range: r, picked: p.id === defaultPreset };
  });
  items.push({
    label: vscode.l10n.t('Custom range...'),
    description: archivedFrom
      ? vscode.l10n.t('from {0} (archive) to today', archivedFrom)
      : vscode.l10n.t('within the last 6 months'),
  });
  const active = items.find((i) => i.picked);
  const pick = await new Promise<Item | undefined>((resolve) => {
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = vscode.l10n.t('Zoom: Fetch Operation Logs (1/2): range');
    qp.placeholder = vscode.l10n.t('Which dates? Zoom keeps operation logs for 6 months; dates are UTC days.');
    qp.items = items;
    if (active) qp.activeItems = [active];
    qp.onDidAccept(() => {
      resolve(qp.selectedItems[0]);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
  if (!pick) return undefined;
  return pick.range ?? askCustomRange(nowMs, archivedFrom);
}

async function askCustomRange(nowMs: number, archivedFrom?: string): Promise<DateRange | undefined> {
  const today = todayUtc(nowMs);
  const from = await vscode.window.showInputBox({
    title: vscode.l10n.t('Custom range: start date'),
    prompt: vscode.l10n.t('Start date (yyyy-mm-dd, UTC), within the last 6 months'),
    value: presetRange('last7Days', nowMs).from,
    ignoreFocusOut: true,
    validateInput: (v) => checkRangeWithArchive(v, today, today, archivedFrom),
  });
  if (from === undefined) return undefined;
  const to = await vscode.window.showInputBox({
    title: vscode.l10n.t('Custom range: end date'),
    prompt: vscode.l10n.t('End date (yyyy-mm-dd, UTC), from {0} to {1}', from.trim(), today),
    value: today,
    ignoreFocusOut: true,
    validateInput: (v) => checkRangeWithArchive(from, v, today, archivedFrom),
  });
  if (to === undefined) return undefined;
  return { from: from.trim(), to: to.trim() };
}

async function pickCategories(): Promise<KnownCategory[] | undefined> {
  const items = CATEGORIES.map((c) => ({ label: CATEGORY_LABELS[c], description: c, picked: true, category: c }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Zoom: Fetch Operation Logs (2/2): categories'),
    placeHolder: vscode.l10n.t('Categories to show (all by default)'),
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (!picked.length) {
    void vscode.window.showWarningMessage(vscode.l10n.t('No category chosen; nothing to fetch.'));
    return undefined;
  }
  return picked.map((p) => p.category);
}
