import type { CategoryLog } from '../model/categoryLog';
import type { OtherCategoriesLog } from '../model/otherCategories';
import type { LogSession } from '../model/session';
import type { GroupKey } from '../insights/aggregate';
import type { OperationLogEntry, ZoomError } from '../zoom';

/** How many entries a date shows before a "Show more" node (keeps 10,000-entry dates responsive). */
export const DATE_CHUNK = 1000;

export class CategoryNode {
  readonly kind = 'category';
  readonly id: string;
  /** Date nodes are kept so refreshes fire with the same objects VS Code knows. */
  readonly dates = new Map<string, DateNode>();
  /** @param parent the "Other categories" node, for a category outside the eleven. */
  constructor(
    readonly session: LogSession,
    readonly log: CategoryLog,
    readonly parent?: OthersNode,
  ) {
    this.id = parent ? `${parent.id}/${log.category}` : `${session.id}/${log.category}`;
  }

  date(key: string): DateNode {
    let d = this.dates.get(key);
    if (!d) {
      d = new DateNode(this, key);
      this.dates.set(key, d);
    }
    return d;
  }
}

/**
 * "Other categories": entries of categories outside the eleven, found by paging
 * through `category_type=all`; one child CategoryNode per display name.
 */
export class OthersNode {
  readonly kind = 'others';
  readonly id: string;
  /** Child nodes are kept so refreshes fire with the same objects VS Code knows. */
  private readonly nodes = new Map<string, CategoryNode>();
  constructor(
    readonly session: LogSession,
    readonly others: OtherCategoriesLog,
  ) {
    this.id = `${session.id}/~others`;
  }

  child(log: CategoryLog): CategoryNode {
    let n = this.nodes.get(log.category);
    if (!n) {
      n = new CategoryNode(this.session, log, this);
      this.nodes.set(log.category, n);
    }
    return n;
  }
}

export class DateNode {
  readonly kind = 'date';
  readonly id: string;
  /** Entries shown; grows by DATE_CHUNK with "Show more". */
  limit = DATE_CHUNK;
  constructor(
    readonly parent: CategoryNode,
    readonly key: string,
  ) {
    this.id = `${parent.id}/${key}`;
  }
}

export class EntryNode {
  readonly kind = 'entry';
  readonly id: string;
  constructor(
    readonly parent: DateNode | GroupDateNode,
    readonly entry: OperationLogEntry,
    index: number,
  ) {
    this.id = `${parent.id}/${index}`;
  }
}

/** "Load more..." under a category while pages remain. */
export class LoadMoreNode {
  readonly kind = 'loadMore';
  readonly id: string;
  constructor(readonly parent: CategoryNode | OthersNode) {
    this.id = `${parent.id}/~more`;
  }
}

/** "Show more" under a date that holds more entries than it shows. */
export class ShowMoreNode {
  readonly kind = 'showMore';
  readonly id: string;
  constructor(
    readonly parent: DateNode | GroupDateNode,
    readonly remaining: number,
  ) {
    this.id = `${parent.id}/~show${parent.limit}`;
  }
}

/** What clicking a message node runs, when it is not derived from its error (e.g. Search the whole range). */
export interface MessageAction {
  readonly command: string;
  readonly title: string;
  readonly args?: unknown[];
}

/** A failure, an empty result or a hint, in place of the children it concerns. */
export class MessageNode {
  readonly kind = 'message';
  readonly id: string;
  constructor(
    readonly parent: CategoryNode | DateNode | OthersNode | GroupNode,
    readonly text: string,
    readonly error?: ZoomError,
    readonly action?: MessageAction,
    /** Shown as a warning without being a failure to retry (a damaged archive day). */
    readonly warning = false,
  ) {
    this.id = `${parent.id}/~msg:${error?.kind ?? text}`;
  }
}

/** A hint at the top of the tree (the filter searched only loaded entries; grouping needs the whole range). */
export class NoticeNode {
  readonly kind = 'notice';
  readonly id: string;
  constructor(
    readonly session: LogSession,
    readonly name: string,
    readonly text: string,
    readonly action?: MessageAction,
  ) {
    this.id = `${session.id}/~notice:${name}`;
  }
}

/**
 * Group by operator, target or action (or by category once the whole range is loaded): one node per
 * name, from the whole range's entries (newest first), then dates, then entries.
 */
export class GroupNode {
  readonly kind = 'group';
  readonly id: string;
  private readonly dateNodes = new Map<string, GroupDateNode>();
  private byDate: Map<string, OperationLogEntry[]> | undefined;
  constructor(
    readonly session: LogSession,
    readonly by: GroupKey,
    readonly name: string,
    /** Every entry of the group, newest first (unfiltered). */
    readonly entries: readonly OperationLogEntry[],
  ) {
    this.id = `${session.id}/~by-${by}/${encodeURIComponent(name)}`;
  }

  /** Date keys newest first, with their entries (newest first). */
  dates(): Map<string, OperationLogEntry[]> {
    if (!this.byDate) {
      this.byDate = new Map();
      for (const e of this.entries) {
        const key = this.session.keyer.dateKey(e.timeMs);
        let list = this.byDate.get(key);
        if (!list) this.byDate.set(key, (list = []));
        list.push(e);
      }
    }
    return this.byDate;
  }

  date(key: string): GroupDateNode {
    let d = this.dateNodes.get(key);
    if (!d) this.dateNodes.set(key, (d = new GroupDateNode(this, key)));
    return d;
  }
}

/** A date under a group. */
export class GroupDateNode {
  readonly kind = 'groupDate';
  readonly id: string;
  limit = DATE_CHUNK;
  constructor(
    readonly parent: GroupNode,
    readonly key: string,
  ) {
    this.id = `${parent.id}/${key}`;
  }

  get entries(): readonly OperationLogEntry[] {
    return this.parent.dates().get(this.key) ?? [];
  }
}

export type LogTreeNode =
  | CategoryNode
  | OthersNode
  | DateNode
  | EntryNode
  | LoadMoreNode
  | ShowMoreNode
  | MessageNode
  | GroupNode
  | GroupDateNode
  | NoticeNode;

/** What an account's root shows; AccountView fills it in (plain data, so treeModel.ts can draw it). */
export interface AccountSummary {
  readonly id: string;
  readonly name: string;
  /** "ZoomGov" or a custom host; undefined for the base URL settings. */
  readonly cloud?: string;
  readonly credentialKind: 'token' | 's2s' | undefined;
  /** The query in a few words (range · categories · filter), when one is shown. */
  readonly query?: string;
  /** The longer message: the query, refused days, damaged archive days. */
  readonly message?: string;
}

/**
 * One Zoom account's root, shown only when several accounts are open; its children are that account's tree.
 * Its id changes with signing in or out, so VS Code shows a newly signed-in account expanded (a tree keeps
 * the collapsed state of an id it has drawn).
 */
export class AccountNode {
  readonly kind = 'account';
  constructor(
    readonly profileId: string,
    public summary: AccountSummary,
  ) {}

  get id(): string {
    return `acct:${this.profileId}${this.summary.credentialKind ? '' : ':signedOut'}`;
  }
}
