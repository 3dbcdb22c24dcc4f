import assert from 'node:assert/strict';
import { categoryKey, categoryLabel, CATEGORIES, CATEGORY_LABELS } from '../../src/zoom';

describe('categories', () => {
  it('maps display strings case-insensitively to the query enum', () => {
    assert.equal(categoryKey('User Settings'), 'user_settings');
    assert.equal(categoryKey('user settings'), 'user_settings');
    assert.equal(categoryKey('ZOOM ROOMS'), 'zoom_rooms');
    assert.equal(categoryKey(' Phone Contacts '), 'phone_contacts');
    assert.equal(categoryKey('IM'), 'im');
    for (const c of CATEGORIES) assert.equal(categoryKey(CATEGORY_LABELS[c]), c);
  });
  it('keeps unknown strings as their own group', () => {
    assert.equal(categoryKey('Meeting Settings'), 'other:meeting settings');
    assert.equal(categoryLabel('other:meeting settings', 'Meeting Settings'), 'Meeting Settings');
    assert.equal(categoryKey(undefined), 'other:');
    assert.equal(categoryLabel('other:'), '(no category)');
  });
});
