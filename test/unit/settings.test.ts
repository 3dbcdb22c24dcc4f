/**
 * Settings live in src/config/keys.ts, each tagged with what a change does; package.json's
 * `contributes.configuration` and the README's Settings table must agree with it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  changedKeys,
  CLIENT_SETTING_KEYS,
  effectOf,
  fullKey,
  SECTION,
  SETTING_KEYS,
  SETTINGS,
  type SettingEffect,
  type SettingKey,
} from '../../src/config/keys';
import { PREFIX } from '../../src/commands/ids';

const root = path.resolve(__dirname, '../../..');

interface Property {
  default: unknown;
  scope?: string;
}
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Property> } };
};
const properties = manifest.contributes.configuration.properties;
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The rows of the README's Settings table: first cell → second cell (backticks removed). */
function readmeSettingsRows(): Map<string, string> {
  const start = readme.indexOf('\n## Settings\n');
  assert.ok(start >= 0, 'README has a Settings section');
  const end = readme.indexOf('\n## ', start + 1);
  const rows = new Map<string, string>();
  for (const line of readme.slice(start, end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replace(/^`|`$/g, ''));
    if (cells.length < 4 || !cells[1].startsWith(`${SECTION}.`)) continue;
    assert.ok(!rows.has(cells[1]), `${cells[1]} is listed twice`);
    rows.set(cells[1], cells[2]);
  }
  return rows;
}

const snapshot = (over: Partial<Record<SettingKey, unknown>> = {}): Record<SettingKey, unknown> => ({
  ...(Object.fromEntries(SETTING_KEYS.map((k) => [k, properties[fullKey(k)]?.default])) as Record<SettingKey, unknown>),
  ...over,
});

describe('Settings (src/config/keys.ts) and package.json', () => {
  it('SETTINGS holds exactly the settings package.json contributes', () => {
    assert.equal(SECTION, PREFIX);
    assert.deepEqual(SETTING_KEYS.map(fullKey).sort(), Object.keys(properties).sort());
  });

  it('tags every setting with an effect; application-scoped settings (where tokens go) build the client', () => {
    for (const k of SETTING_KEYS) {
      assert.ok(['reload', 'redraw', 'none'].includes(SETTINGS[k].effect), k);
      if (properties[fullKey(k)].scope === 'application') assert.ok(SETTINGS[k].client, `${k} is a client setting`);
    }
    assert.deepEqual(
      [...CLIENT_SETTING_KEYS].sort(),
      ['apiBaseUrl', 'maxRequestsPerSecond', 'oauthBaseUrl', 'requestTimeoutSeconds'],
      'only these travel through ZoomService',
    );
    // What a change re-fetches: results differ with these (the comparison LogView used to spell out).
    assert.deepEqual(SETTING_KEYS.filter((k) => SETTINGS[k].effect === 'reload').sort(), [
      'apiBaseUrl',
      'oauthBaseUrl',
      'pageSize',
      'timeZone',
    ]);
  });

  it('changedKeys finds the keys whose values differ', () => {
    assert.deepEqual(changedKeys(snapshot(), snapshot()), []);
    assert.deepEqual(changedKeys(snapshot(), snapshot({ timeZone: 'UTC', csvFormulaGuard: false })), [
      'timeZone',
      'csvFormulaGuard',
    ]);
    // List settings are read as new arrays every time: equal lists are no change, a different one is.
    const rules = [{ id: 'a', match: { text: 'x' } }];
    assert.deepEqual(changedKeys(snapshot({ rules }), snapshot({ rules: structuredClone(rules) })), []);
    assert.deepEqual(changedKeys(snapshot({ trustedOperators: [] }), snapshot({ trustedOperators: ['x@y'] })), [
      'trustedOperators',
    ]);
  });

  it('effectOf takes the strongest effect: reload over redraw over none', () => {
    assert.equal(effectOf([]), 'none');
    assert.equal(effectOf(['csvFormulaGuard', 'defaultRange']), 'none');
    assert.equal(effectOf(['maxRequestsPerSecond']), 'none', 'a new rate rebuilds the client but keeps the pages');
    assert.equal(effectOf(['defaultRange', 'pageSize']), 'reload');
    assert.equal(effectOf(['timeZone']), 'reload');
    const redraw = SETTING_KEYS.filter((k) => (SETTINGS[k].effect as SettingEffect) === 'redraw');
    if (redraw.length) {
      assert.equal(effectOf([redraw[0], 'csvFormulaGuard']), 'redraw');
      assert.equal(effectOf([redraw[0], 'apiBaseUrl']), 'reload');
    }
  });

  it("the README's Settings table lists every setting once, with package.json's default", () => {
    const rows = readmeSettingsRows();
    assert.deepEqual([...rows.keys()].sort(), Object.keys(properties).sort());
    for (const [key, def] of rows) {
      const want = properties[key].default;
      assert.equal(def, typeof want === 'object' ? JSON.stringify(want) : String(want), `default of ${key}`);
    }
  });
});
