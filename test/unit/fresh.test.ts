/**
 * "New until seen" (issue 10, Watch) in plain Node: FreshEntries counts entries a background sync added by
 * content (the tree's entry objects are not the sync's), two identical same-second entries as two.
 */
import assert from 'node:assert/strict';
import { entryKey, FRESH_CAP, FreshEntries } from '../../src/model/fresh';
import { entriesFromRaw } from './support/helpers';
import type { OperationLogEntry } from '../../src/zoom/types';

/** An entry as the client parses Zoom's page (a new object each time). */
function entry(detail: string, time = '2026-11-26T10:00:00Z', operator = 'a@acme.test'): OperationLogEntry {
  const raw = { time, operator, category_type: 'User', action: 'Update', operation_detail: detail };
  return entriesFromRaw([raw])[0];
}

describe('FreshEntries (entries marked new until seen)', () => {
  it('matches by content, not object; every field counts', () => {
    const f = new FreshEntries();
    f.add([entry('x')]);
    assert.equal(f.has(entry('x')), true, 'another object with the same fields');
    assert.equal(f.has(entry('y')), false);
    assert.equal(f.has(entry('x', '2026-11-26T10:00:01Z')), false);
    assert.equal(f.has(entry('x', undefined, 'b@acme.test')), false);
    assert.equal(entryKey(entry('x')), entryKey(entry('x')));
  });

  it('two identical entries count twice; seeing one content clears it; events fire only on change', () => {
    const f = new FreshEntries();
    let events = 0;
    const off = f.onChange(() => events++);
    f.add([entry('dup'), entry('dup'), entry('once')]);
    assert.equal(f.size, 3);
    assert.equal(f.seen([entry('nothing')]), false);
    assert.equal(events, 1, 'seeing an entry that is not new changes nothing');
    assert.equal(f.seen([entry('dup')]), true);
    assert.equal(f.size, 1);
    assert.equal(f.has(entry('dup')), false);
    f.add([]);
    assert.equal(events, 2);
    off();
    f.seen([entry('once')]);
    assert.equal(events, 2, 'unsubscribed');
    assert.equal(f.size, 0);
  });

  it('keeps at most FRESH_CAP marks, dropping the oldest first', () => {
    const f = new FreshEntries();
    const many = Array.from({ length: FRESH_CAP + 10 }, (_, i) => entry(`n${i}`));
    f.add(many);
    assert.equal(f.size, FRESH_CAP);
    assert.equal(f.has(many[0]), false);
    assert.equal(f.has(many[9]), false);
    assert.equal(f.has(many[10]), true);
    assert.equal(f.has(many[many.length - 1]), true);
  });
});
