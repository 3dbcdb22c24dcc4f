/**
 * What a screen reader says for tree entries (issue "First run and VS Code's conventions", part 5):
 * the action, the operator, the time and the change, as one sentence, for the real shapes of Zoom's
 * details (from the notes' "What real entries look like"). Exact sentences, so a regression is read.
 */
import assert from 'node:assert/strict';
import { LogSession } from '../../src/model/session';
import { CategoryNode, EntryNode } from '../../src/views/nodes';
import { entryView } from '../../src/views/treeModel';
import { categoryKey } from '../../src/zoom/categories';
import type { OperationLogEntry } from '../../src/zoom/types';

const TIME = '2026-11-20T10:02:03Z';

function entry(
  action: string,
  categoryType: string,
  detail: string,
  operator = 'admin@example.com',
): OperationLogEntry {
  return {
    time: TIME,
    timeMs: Date.parse(TIME),
    operator,
    categoryType,
    category: categoryKey(categoryType),
    action,
    operationDetail: detail,
  };
}

describe('Accessibility: what a screen reader hears for an entry', () => {
  const session = new LogSession(
    { from: '2026-11-20', to: '2026-11-20', categories: ['user', 'account'] },
    { pageSize: 300, timeZone: 'UTC', client: () => Promise.reject(new Error('no requests in this test')) },
  );
  const date = new CategoryNode(session, session.logs.get('account')!).date('2026-11-20');
  const spoken = (e: OperationLogEntry, severity?: 'high' | 'medium' | 'low'): string | undefined =>
    entryView(new EntryNode(date, e, 0), severity).accessibilityLabel;

  const cases: [OperationLogEntry, string][] = [
    [
      entry('Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off'),
      'Update by admin@example.com at 10:02:03: Security: Sign in with Two-Factor Authentication changed from On to Off.',
    ],
    [
      entry('Update', 'User', 'Update User jane@example.com  - Job Title: set to Contractor'),
      'Update by admin@example.com at 10:02:03: jane@example.com: Job Title set to Contractor.',
    ],
    [
      entry('Batch Update', 'User', 'Change Role  - jane@example.com: from User to Co-Owner'),
      'Batch Update by admin@example.com at 10:02:03: jane@example.com: Change Role changed from User to Co-Owner.',
    ],
    [
      entry('SCIM API - Update', 'User', 'Edit User jane@example.com  - Change Type: from Basic to Licensed', 'SCIM'),
      'SCIM API - Update by SCIM at 10:02:03: jane@example.com: Change Type changed from Basic to Licensed.',
    ],
    [
      entry('Update', 'User', 'Activate User jane@example.com '),
      'Update by admin@example.com at 10:02:03: Activate User jane@example.com.',
    ],
    [
      entry(
        'Update',
        'Account',
        'Sign-In Password Requirement  - Have at least specified length of characters: from 8 to 14 - Include at least 1 letter: from On to Off',
      ),
      'Update by admin@example.com at 10:02:03: Sign-In Password Requirement: Have at least specified length of characters changed from 8 to 14, and 1 more change.',
    ],
  ];

  for (const [e, want] of cases) {
    it(`reads "${e.operationDetail.trim().slice(0, 60)}" as one sentence`, () => {
      assert.equal(spoken(e), want);
    });
  }

  it('says when a rule flagged the entry, and never reads control or bidi characters', () => {
    const e = entry('Update', 'Account', 'Security  - Sign in with Two-Factor Authentication: from On to Off');
    assert.match(spoken(e, 'high') ?? '', /\. Flagged: high severity\.$/);
    const hostile = spoken(entry('Update', 'User', 'Update User a\u202Eb@example.com\u0007  - Title: set to x'));
    // eslint-disable-next-line no-control-regex -- checking that none are read is the point
    assert.ok(hostile && !/[\u0000-\u001f\u202a-\u202e]/.test(hostile), JSON.stringify(hostile));
  });
});
