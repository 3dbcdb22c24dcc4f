/**
 * Zoom account profiles in plain Node (src/auth/profileModel.ts): secret keys, names, the stored list
 * read leniently, the migrated profile's name; and what an account's root shows (treeModel accountView).
 */
import assert from 'node:assert/strict';
import {
  CLOUDS,
  DEFAULT_PROFILE_ID,
  LEGACY_SECRET_KEY,
  defaultProfileName,
  describeCloud,
  nameProblem,
  newProfileId,
  parseProfiles,
  secretKeyOf,
  uniqueName,
  type Profile,
} from '../../src/auth/profileModel';
import { COMMANDS } from '../../src/commands/ids';
import { AccountNode } from '../../src/views/nodes';
import { accountView, NODE_CLICK_COMMANDS } from '../../src/views/treeModel';

const p = (id: string, name: string, extra: Partial<Profile> = {}): Profile => ({ id, name, ...extra });

describe('Zoom account profiles (plain Node)', () => {
  it('the default profile keeps the old secret key, so migrating moves no secret; others get their own', () => {
    assert.equal(secretKeyOf(DEFAULT_PROFILE_ID), LEGACY_SECRET_KEY);
    assert.equal(secretKeyOf('a1b2c3d4'), `${LEGACY_SECRET_KEY}/a1b2c3d4`);
    assert.notEqual(secretKeyOf('a1b2c3d4'), secretKeyOf('a1b2c3d5'));
  });

  it('new ids are never "default" nor taken, and give up rather than loop on a broken random source', () => {
    const taken = [p('default', 'A'), p('aaaa1111', 'B')];
    const seq = ['default', 'aaaa1111', 'BAD id', 'bbbb2222'];
    assert.equal(
      newProfileId(taken, () => seq.shift() ?? 'x'),
      'bbbb2222',
    );
    assert.throws(() => newProfileId(taken, () => 'default'), /profile id/);
    assert.match(newProfileId([]), /^[0-9a-f]{8}$/);
  });

  it('names: not empty, not too long, no control characters, unique regardless of case', () => {
    const list = [p('default', 'Acme Production'), p('b', 'ZoomGov test')];
    assert.equal(nameProblem('  ', list), 'empty');
    assert.equal(nameProblem('x'.repeat(61), list), 'long');
    assert.equal(nameProblem('a\u0007b', list), 'control');
    assert.equal(nameProblem('acme production', list), 'taken');
    assert.equal(nameProblem('acme production', list, 'default'), undefined, 'renaming to its own name');
    assert.equal(nameProblem('Acme Sub', list), undefined);
    assert.equal(uniqueName('Acme Production', list), 'Acme Production (2)');
    assert.equal(uniqueName('New', list), 'New');
  });

  it('the migrated profile is named after its archive, else the cloud; never after a credential', () => {
    // The name takes nothing from the credentials (it is stored in globalState, logged and shown).
    assert.equal(defaultProfileName.length, 0);
    assert.equal(defaultProfileName(), 'Zoom account');
    assert.equal(defaultProfileName({ archiveName: 'acme' }), 'acme');
    assert.equal(defaultProfileName({ archiveName: ' acme-prod ' }), 'acme-prod');
    assert.equal(defaultProfileName({}), 'Zoom account');
    assert.equal(defaultProfileName({ apiBaseUrl: CLOUDS.zoomgov.apiBaseUrl }), 'ZoomGov account');
  });

  it('the stored list is read leniently: garbage dropped, duplicate ids dropped, duplicate names made unique', () => {
    assert.deepEqual(parseProfiles(undefined), []);
    assert.deepEqual(parseProfiles('not a list'), []);
    const read = parseProfiles([
      { id: 'default', name: 'Acme', apiBaseUrl: ' https://api.zoomgov.com/v2 ', oauthBaseUrl: '' },
      { id: 'default', name: 'Duplicate id' },
      { id: '../../etc', name: 'Bad id' },
      null,
      42,
      { id: 'b', name: 'acme' },
      { id: 'c' },
      { id: 'd', name: 'x'.repeat(100) },
    ]);
    assert.deepEqual(
      read.map((r) => [r.id, r.name, r.apiBaseUrl, r.oauthBaseUrl]),
      [
        ['default', 'Acme', 'https://api.zoomgov.com/v2', undefined],
        ['b', 'acme (2)', undefined, undefined],
        ['c', 'c', undefined, undefined],
        ['d', 'x'.repeat(60), undefined, undefined],
      ],
    );
  });

  it('the cloud of a profile: nothing for the settings, ZoomGov by its URL, else the custom host', () => {
    assert.equal(describeCloud(p('a', 'A')), undefined);
    assert.equal(describeCloud(p('a', 'A', { ...CLOUDS.zoomgov })), 'ZoomGov');
    assert.equal(
      describeCloud(
        p('a', 'A', { apiBaseUrl: 'http://127.0.0.1:8080/acc/X/v2', oauthBaseUrl: 'http://127.0.0.1:8080/acc/X' }),
      ),
      '127.0.0.1:8080',
    );
  });
});

describe('An account root in the tree (treeModel accountView)', () => {
  it('signed in: expanded, its query and cloud as description, a context value for its menu', () => {
    const node = new AccountNode('a1', {
      id: 'a1',
      name: 'Acme Gov',
      cloud: 'ZoomGov',
      credentialKind: 's2s',
      query: '2026-11-20 – 2026-11-26 · all categories',
      message: 'Zoom returned nothing before 2026-06-01',
    });
    const v = accountView(node);
    assert.equal(v.label, 'Acme Gov');
    assert.equal(v.collapsible, true);
    assert.equal(v.expanded, true);
    assert.equal(v.description, 'ZoomGov · 2026-11-20 – 2026-11-26 · all categories');
    assert.match(v.contextValue, /\baccount\b/);
    assert.match(v.contextValue, /\bsignedIn\b/);
    assert.match(v.tooltip ?? '', /Server-to-Server OAuth/);
    assert.match(v.tooltip ?? '', /Zoom returned nothing before 2026-06-01/);
    assert.equal(v.command, undefined);
    assert.equal(node.id, 'acct:a1');
  });

  it('signed out: not expandable, says so, and a click signs this account in', () => {
    const node = new AccountNode('b2', { id: 'b2', name: 'Test', credentialKind: undefined });
    const v = accountView(node);
    assert.equal(v.collapsible, false);
    assert.match(v.description ?? '', /signed out/);
    assert.match(v.contextValue, /\bsignedOut\b/);
    assert.equal(v.command?.command, COMMANDS.signInS2S);
    assert.deepEqual(v.command?.arguments, [{ account: 'b2' }]);
    assert.ok(NODE_CLICK_COMMANDS.includes(COMMANDS.signInS2S));
    assert.notEqual(node.id, 'acct:b2', 'signing in changes the id, so VS Code draws it expanded');
  });
});
