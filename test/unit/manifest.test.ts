/**
 * The manifest's user-facing strings go through package.nls.json (the way Microsoft's own
 * extensions ship them), so a translation is one more package.nls.<locale>.json file.
 * These tests fail when a new command, view, welcome text or setting brings a literal string.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every [json path, value] pair under a node. */
function* walk(node: Json, at: string): Generator<[string, Json]> {
  yield [at, node];
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* walk(node[i], `${at}[${i}]`);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* walk(v, `${at}.${k}`);
  }
}

/** Manifest fields a person reads: titles, names, descriptions, labels, welcome text. */
const USER_FACING =
  /\.(title|name|contextualTitle|contents|description|markdownDescription|markdownDeprecationMessage|enumDescriptions\[\d+\]|enumItemLabels\[\d+\]|category|label|altText)$/;

describe('Manifest strings (package.nls.json)', () => {
  const pairs = [...walk(manifest as Json, '')];
  const userFacing = pairs.filter(
    ([p, v]) =>
      typeof v === 'string' &&
      (p === '.displayName' || p === '.description' || (p.startsWith('.contributes') && USER_FACING.test(p))),
  );

  it('finds the user-facing fields it checks (positive control)', () => {
    assert.ok(userFacing.length >= 40, `only ${userFacing.length} user-facing fields found`);
    assert.ok(userFacing.some(([p]) => p === '.contributes.commands[0].title'));
  });

  it('every user-facing manifest string is a %key% that package.nls.json defines', () => {
    const literal = userFacing
      .filter(([, v]) => !/^%[\w.-]+%$/.test(v as string))
      .map(([p, v]) => `${p} = ${String(v)}`);
    assert.deepEqual(literal, [], 'literal strings in package.json; move them to package.nls.json');
    const undefinedKeys = userFacing
      .map(([, v]) => (v as string).slice(1, -1))
      .filter((k) => typeof nls[k] !== 'string' || !nls[k].trim());
    assert.deepEqual(undefinedKeys, [], 'keys missing from package.nls.json');
  });

  it('package.nls.json holds no key that the manifest does not use', () => {
    const used = new Set(pairs.filter(([, v]) => typeof v === 'string').map(([, v]) => v as string));
    const unused = Object.keys(nls).filter((k) => !used.has(`%${k}%`));
    assert.deepEqual(unused, []);
  });

  it('declares workspace trust, virtual workspaces, where it runs, and where it lives', () => {
    const caps = manifest.capabilities as {
      untrustedWorkspaces?: { supported?: unknown };
      virtualWorkspaces?: unknown;
    };
    assert.equal(caps.untrustedWorkspaces?.supported, true);
    assert.equal(caps.virtualWorkspaces, true);
    assert.deepEqual(manifest.extensionKind, ['ui', 'workspace']);
    for (const field of ['repository', 'bugs', 'homepage']) assert.ok(manifest[field], `${field} missing`);
  });

  it('the .vsix allow-list ships package.nls.json', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!package.nls.json'));
  });
});
