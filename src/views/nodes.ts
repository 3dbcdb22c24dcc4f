import type { CategoryLog } from '../model/categoryLog';
import type { OtherCategoriesLog } from '../model/otherCategories';
import type { LogSession } from '../model/session';
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
    readonly parent: DateNode,
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
    readonly parent: DateNode,
    readonly remaining: number,
  ) {
    this.id = `${parent.id}/~show${parent.limit}`;
  }
}

/** A failure, an empty result or a hint, in place of the children it concerns. */
export class MessageNode {
  readonly kind = 'message';
  readonly id: string;
  constructor(
    readonly parent: CategoryNode | DateNode | OthersNode,
    readonly text: string,
    readonly error?: ZoomError,
  ) {
    this.id = `${parent.id}/~msg:${error?.kind ?? text}`;
  }
}

export type LogTreeNode = CategoryNode | OthersNode | DateNode | EntryNode | LoadMoreNode | ShowMoreNode | MessageNode;
