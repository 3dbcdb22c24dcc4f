/**
 * What each tree node shows and does, as plain data: labels, descriptions,
 * tooltips, icon ids, context values and click commands. No `vscode` here, so
 * unit tests (test/unit/treeModel.test.ts) run it in plain Node; treeItems.ts
 * only turns these into `vscode.TreeItem`s.
 */
import { COMMANDS, BUILTIN_COMMANDS } from '../commands/ids';
import { SECTION } from '../config/keys';
import { l10n } from '../l10n';
import { otherCategoriesCost } from '../model/otherCategories';
import { DateKeyer } from '../model/timeZones';
import type { ParsedDetail, Severity } from '../insights';
import { insights } from '../services/insights';
import { groupLabel } from './wholeRangeModel';
import type { ZoomError } from '../zoom/errors';
import type { OperationLogEntry } from '../zoom/types';
import type {
  AccountNode,
  CategoryNode,
  DateNode,
  EntryNode,
  GroupDateNode,
  GroupNode,
  LoadMoreNode,
  MessageNode,
  NoticeNode,
  OthersNode,
  ShowMoreNode,
} from './nodes';

export type CredentialKind = 'token' | 's2s' | undefined;

/** A click command of a node. */
export interface NodeCommand {
  readonly command: string;
  readonly title: string;
  readonly arguments: unknown[];
}

/** Everything a TreeItem needs, without `vscode`. */
export interface NodeView {
  readonly label: string;
  readonly collapsible: boolean;
  /** Shown expanded at first (an account's root). */
  readonly expanded?: boolean;
  readonly contextValue: string;
  /** A codicon id (`$(id)` in package.json terms). */
  readonly icon: string;
  /** A theme colour id for the icon (`charts.red`...), e.g. an entry's highest finding severity. */
  readonly iconColor?: string;
  readonly description?: string;
  /** Plain text; an entry's tooltip is built from `entryTooltipFields` instead. */
  readonly tooltip?: string;
  readonly command?: NodeCommand;
  readonly accessibilityLabel?: string;
}

/** Commands a node runs when clicked; these may be hidden from the palette without a menu entry. */
export const NODE_CLICK_COMMANDS: readonly string[] = [
  COMMANDS.openEntry,
  COMMANDS.loadMore,
  COMMANDS.retry,
  COMMANDS.setToken,
  COMMANDS.signInS2S,
  COMMANDS.fetch,
  COMMANDS.checkSetup,
  BUILTIN_COMMANDS.openSettings,
  COMMANDS.searchWholeRange,
  COMMANDS.groupBy,
];

const ACTION_ICONS: Record<string, string> = {
  add: 'add',
  create: 'add',
  update: 'edit',
  'batch update': 'checklist',
  delete: 'trash',
  remove: 'trash',
  'sign in': 'sign-in',
  'sign out': 'sign-out',
  login: 'sign-in',
  logout: 'sign-out',
};

/** The icon of an entry by its action (case and surrounding spaces ignored). */
export function actionIcon(action: string): string {
  return ACTION_ICONS[action.trim().toLowerCase()] ?? 'circle-small-filled';
}

/** Text for one-line labels: no control, bidi or zero-width characters, collapsed spaces, bounded length. */
export function oneLine(text: string, max: number): string {
  const clean = text
    .slice(0, max * 4)
    // eslint-disable-next-line no-control-regex -- stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

export function categoryView(node: CategoryNode): NodeView {
  const { log, session } = node;
  let description: string | undefined;
  if (log.started) {
    const more = log.done ? '' : '+';
    if (log.done && log.total === 0) description = l10n.t('no entries');
    else if (session.filter) description = l10n.t('{0} of {1}', countVisible(node), `${log.total}${more}`);
    else description = `${log.total}${more}`;
  } else if (log.isLoading) {
    description = l10n.t('loading…');
  }
  const refusal = log.refusalMessage ? ` ${log.refusalMessage}` : '';
  return {
    label: log.label,
    collapsible: true,
    contextValue: 'category',
    icon: 'folder-library',
    description,
    tooltip: `${log.label}: ${categoryState(log)}${node.parent ? l10n.t(' (a category outside the eleven Zoom lets you query)') : ''}.${refusal}`,
  };
}

/**
 * `12 entries loaded (all)`, `... , more on Zoom`, or `expand to load the first page`.
 * @userFacing
 */
function categoryState(log: CategoryNode['log']): string {
  if (!log.started) return l10n.t('expand to load the first page');
  return log.done
    ? l10n.t('{0} entries loaded (all)', log.total)
    : l10n.t('{0} entries loaded, more on Zoom', log.total);
}

export function othersView(node: OthersNode): NodeView {
  const { others } = node;
  const feed = others.feed;
  const more = others.done ? '' : '+';
  let description: string | undefined;
  if (others.started) description = others.done && others.total === 0 ? l10n.t('no entries') : `${others.total}${more}`;
  else if (feed.isLoading) description = l10n.t('loading…');
  const received = feed.received.toLocaleString('en-US');
  const scanned = !feed.started
    ? l10n.t(' Expanding it asks for the first page of all categories.')
    : feed.done
      ? l10n.t(' So far {0} entries of all categories were read ({1} pages), all of them.', received, feed.pages)
      : l10n.t(' So far {0} entries of all categories were read ({1} pages).', received, feed.pages);
  const refusal = feed.refusedBefore ? l10n.t(' Zoom returned nothing before {0}.', feed.refusedBefore) : '';
  return {
    label: l10n.t('Other categories'),
    collapsible: true,
    // `category` so that Export... applies to it too.
    contextValue: 'category others',
    icon: 'folder-library',
    description,
    tooltip: `${otherCategoriesCost()}${scanned}${refusal}`,
  };
}

function countVisible(node: CategoryNode): number {
  const { log, session } = node;
  return log.dateKeys().reduce((n, k) => n + session.visible(log.entries(k)).length, 0);
}

export function dateView(node: DateNode): NodeView {
  const { log, session } = node.parent;
  // Archived dates not read yet count from the archive's manifest.
  const { count: all, exact } = log.dateCount(node.key);
  const shown = session.filter ? session.visible(log.entries(node.key)).length : all;
  const more = exact ? '' : '+';
  const count = session.filter ? l10n.t('{0} of {1}', shown, `${all}${more}`) : `${all}${more}`;
  const date = { label: DateKeyer.label(node.key), collapsible: true, contextValue: 'date' };
  const damaged = log.damagedDays(node.key);
  if (damaged.length) {
    return {
      ...date,
      icon: 'warning',
      iconColor: 'list.warningForeground',
      description: l10n.t('{0} · archive damaged', count),
      tooltip: damaged.map((d) => d.message).join('\n'),
    };
  }
  return {
    ...date,
    icon: 'calendar',
    description: count,
    tooltip: more
      ? l10n.t(
          '{0} ({1}): {2} entries so far; expand to load the rest of this day',
          DateKeyer.label(node.key),
          zoneName(session.keyer.zone),
          all,
        )
      : l10n.t('{0} ({1}): {2} entries', DateKeyer.label(node.key), zoneName(session.keyer.zone), all),
  };
}

/**
 * `UTC` or `local time`.
 * @userFacing
 */
function zoneName(zone: string): string {
  return zone === 'UTC' ? 'UTC' : l10n.t('local time'); // l10n-ignore: a time zone's name
}

/** Theme colours of an entry's icon by its highest finding severity (also used by the Findings view). */
export const SEVERITY_ICON_COLORS: Record<Severity, string> = {
  high: 'charts.red',
  medium: 'charts.orange',
  low: 'charts.yellow',
};

/** The parsed change as a sentence for screen readers: `jane@example.com: User Type changed from Basic to Licensed`. */
export function spokenChange(p: ParsedDetail): string {
  const c = p.changes[0];
  if (!c) return p.raw;
  let setting = insights().settingOf(c, p);
  if (setting && setting === p.target?.name) setting = p.section ?? '';
  const what = setting || l10n.t('value');
  let text: string;
  if (c.from !== undefined || c.to !== undefined) {
    text = l10n.t('{0} changed from {1} to {2}', what, c.from || l10n.t('empty'), c.to || l10n.t('empty'));
  } else if (c.setTo !== undefined) {
    text = l10n.t('{0} set to {1}', what, c.setTo || l10n.t('empty'));
  } else {
    text = setting ? `${setting}: ${c.value ?? ''}` : (c.value ?? '');
  }
  const who = p.target?.name || p.section;
  const extra = p.changes.length - 1;
  const more = extra <= 0 ? '' : extra === 1 ? l10n.t(', and 1 more change') : l10n.t(', and {0} more changes', extra);
  return `${who ? `${who}: ` : ''}${text}${more}`;
}

/**
 * `high`, `medium`, `low` as said to the person.
 * @userFacing
 */
export function severityName(severity: Severity): string {
  switch (severity) {
    case 'high':
      return l10n.t('high');
    case 'medium':
      return l10n.t('medium');
    default:
      return l10n.t('low');
  }
}

/**
 * An entry: the readable change as label (`jane@example.com · User Type: Basic → Licensed`), the action as
 * icon (coloured by the highest severity of its findings, when a rule flags it), time and operator as
 * description.
 */
/** An entry: what changed (parsed), when and by whom; coloured by its highest finding; "new" until seen after a background sync. */
export function entryView(node: EntryNode, severity?: Severity, isNew = false): NodeView {
  const e = node.entry;
  const keyer = node.parent.parent.session.keyer;
  const parsed = insights().parsedOf(e);
  const summary = oneLine(insights().summarize(parsed), 120);
  const time = keyer.time(e.timeMs);
  const flagged = severity ? l10n.t(' Flagged: {0} severity.', severityName(severity)) : '';
  return {
    label: summary || `${oneLine(e.action || l10n.t('(no action)'), 40)}: ${oneLine(e.operationDetail, 80)}`,
    collapsible: false,
    contextValue: 'entry',
    icon: actionIcon(e.action),
    iconColor: severity && SEVERITY_ICON_COLORS[severity],
    description: `${isNew ? `${l10n.t('new')} · ` : ''}${time} · ${oneLine(e.operator, 60)}`,
    command: { command: COMMANDS.openEntry, title: l10n.t('Open Entry'), arguments: [node] },
    accessibilityLabel:
      (isNew ? l10n.t('New: ') : '') +
      l10n.t(
        '{0} by {1} at {2}: {3}.{4}',
        oneLine(e.action || l10n.t('Change'), 40),
        oneLine(e.operator, 60),
        time,
        oneLine(spokenChange(parsed), 200),
        flagged,
      ),
  };
}

export const TOOLTIP_FIELD_MAX = 2000;

/** An entry's tooltip fields, each value cut at TOOLTIP_FIELD_MAX characters with a note. */
export function entryTooltipFields(e: OperationLogEntry): [name: string, value: string][] {
  const cut = (value: string): string =>
    value.length > TOOLTIP_FIELD_MAX
      ? l10n.t('{0}… ({1} characters; open the entry to see all)', value.slice(0, TOOLTIP_FIELD_MAX), value.length)
      : value;
  return [
    [l10n.t('Time'), cut(e.time)],
    [l10n.t('Operator'), cut(e.operator)],
    [l10n.t('Category'), cut(e.categoryType)],
    [l10n.t('Action'), cut(e.action)],
    [l10n.t('Detail'), cut(e.operationDetail)],
  ];
}

export function loadMoreView(node: LoadMoreNode): NodeView {
  return {
    label: l10n.t('Load more...'),
    collapsible: false,
    contextValue: 'loadMore',
    icon: 'more',
    tooltip: l10n.t('Fetch the next page from Zoom'),
    command: { command: COMMANDS.loadMore, title: l10n.t('Load More'), arguments: [node.parent] },
  };
}

export function showMoreView(node: ShowMoreNode): NodeView {
  return {
    label: l10n.t('Show more ({0} hidden)', node.remaining.toLocaleString('en-US')),
    collapsible: false,
    contextValue: 'showMore',
    icon: 'unfold',
    command: { command: COMMANDS.loadMore, title: l10n.t('Show More'), arguments: [node.parent] },
  };
}

/** What clicking a message node does, by the kind of failure. */
export function messageAction(
  error: ZoomError | undefined,
  credentialKind: CredentialKind,
): { command: string; title: string; args?: unknown[] } | undefined {
  if (!error) return undefined;
  switch (error.kind) {
    case 'auth':
      // A missing scope is fixed in Zoom, not by signing in: the check says where.
      if (error.missingScope) return { command: COMMANDS.checkSetup, title: l10n.t('Check setup') };
      return credentialKind === 's2s'
        ? { command: COMMANDS.signInS2S, title: l10n.t('Sign in again') }
        : { command: COMMANDS.setToken, title: l10n.t('Set a new token') };
    case 'oauth':
      return { command: COMMANDS.signInS2S, title: l10n.t('Sign in again') };
    case 'horizon':
      return { command: COMMANDS.fetch, title: l10n.t('Choose another range') };
    case 'config':
      return { command: BUILTIN_COMMANDS.openSettings, title: l10n.t('Open settings'), args: [SECTION] };
    case 'permission':
      return { command: COMMANDS.checkSetup, title: l10n.t('Check setup') };
    default:
      return { command: COMMANDS.retry, title: l10n.t('Retry') };
  }
}

/** Failures whose fix is in the Zoom app's set-up: their message nodes offer Check Setup. */
export function isSetupProblem(error: ZoomError | undefined): boolean {
  return error?.kind === 'auth' || error?.kind === 'oauth' || error?.kind === 'permission';
}

export function messageView(node: MessageNode, credentialKind: CredentialKind): NodeView {
  const firstSentence = node.text.split(/(?<=\.)\s/)[0];
  const action = node.action ?? messageAction(node.error, credentialKind);
  const retry = action?.command === COMMANDS.retry;
  return {
    label: oneLine(firstSentence, 120),
    collapsible: false,
    // `setup`: auth, OAuth and permission messages carry an inline Check Setup button (package.json menus).
    contextValue: ['message', retry ? 'retryable' : '', isSetupProblem(node.error) ? 'setup' : '']
      .filter(Boolean)
      .join(' '),
    icon: node.error || node.warning ? 'warning' : 'info',
    tooltip: node.text,
    description: action?.title,
    command: action && {
      command: action.command,
      title: action.title,
      arguments: action.args ?? (retry ? [node.parent] : []),
    },
  };
}

const GROUP_ICONS: Record<string, string> = { operator: 'person', target: 'target', action: 'symbol-event' };

/** A group of the whole range (by operator, target, action, or category once everything is loaded). */
export function groupView(node: GroupNode): NodeView {
  const { session, entries } = node;
  const total = entries.length;
  const shown = session.filter ? session.visible(entries).length : total;
  // NONE (`(none)`) is the group's key and filter value; only what is shown is translated.
  const name = node.name === insights().NONE ? l10n.t('(none)') : node.name;
  return {
    label: oneLine(name, 120),
    collapsible: true,
    contextValue: `group ${node.by}`,
    icon: GROUP_ICONS[node.by] ?? 'folder-library',
    description: session.filter ? l10n.t('{0} of {1}', shown, total) : String(total),
    tooltip: l10n.t('{0} {1}: {2} entries in the whole range.', groupLabel(node.by), name, total),
  };
}

export function groupDateView(node: GroupDateNode): NodeView {
  const { session } = node.parent;
  const all = node.entries.length;
  const shown = session.filter ? session.visible(node.entries).length : all;
  return {
    label: DateKeyer.label(node.key),
    collapsible: true,
    contextValue: 'groupDate',
    icon: 'calendar',
    description: session.filter ? l10n.t('{0} of {1}', shown, all) : String(all),
    tooltip: l10n.t(
      '{0} ({1}): {2} entries of {3}',
      DateKeyer.label(node.key),
      zoneName(session.keyer.zone),
      all,
      oneLine(node.parent.name === insights().NONE ? l10n.t('(none)') : node.parent.name, 120),
    ),
  };
}

/** A hint at the top of the tree; clicking it runs its action. */
export function noticeView(node: NoticeNode): NodeView {
  const action = node.action;
  return {
    label: oneLine(node.text.split(/(?<=\.)\s/)[0], 160),
    collapsible: false,
    contextValue: 'notice',
    icon: action ? 'search' : 'info',
    tooltip: node.text,
    description: action?.title,
    command: action && { command: action.command, title: action.title, arguments: action.args ?? [] },
  };
}

/**
 * An account's root (only with several accounts): its name, where it is (ZoomGov, a custom host), and
 * what it shows; signed out, clicking it signs in with Server-to-Server OAuth (the context menu also
 * offers an access token).
 */
export function accountView(node: AccountNode): NodeView {
  const a = node.summary;
  const signedIn = a.credentialKind !== undefined;
  const where = a.cloud ? `${a.cloud} · ` : '';
  const description = signedIn ? `${where}${a.query ?? ''}` : `${where}${l10n.t('signed out: click to sign in')}`;
  const tooltip = [
    a.name,
    a.cloud ? l10n.t('Zoom cloud: {0}', a.cloud) : undefined,
    signedIn
      ? a.credentialKind === 's2s'
        ? l10n.t('Signed in with Server-to-Server OAuth')
        : l10n.t('Signed in with an access token')
      : l10n.t('Signed out'),
    a.message,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    label: a.name,
    collapsible: signedIn,
    expanded: signedIn,
    contextValue: `account ${signedIn ? 'signedIn' : 'signedOut'}`,
    icon: signedIn ? 'organization' : 'account',
    description: description.replace(/ · $/, '') || undefined,
    tooltip,
    accessibilityLabel: l10n.t('Zoom account {0}, {1}', a.name, description),
    command: signedIn
      ? undefined
      : { command: COMMANDS.signInS2S, title: l10n.t('Sign In'), arguments: [{ account: a.id }] },
  };
}
