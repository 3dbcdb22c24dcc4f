/**
 * The extension ships as several bundles (dist/extension.js loads dist/fetch.js on the first request, and
 * dist/insights.js / dist/archive.js on first use). What crosses between them must still work: node-fetch
 * through a native import() of a CommonJS bundle, and ZoomError recognised by another bundle's copy.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fetchModule } from '../../src/zoom/http';
import { ZoomError } from '../../src/zoom/errors';
import { format, setTranslator } from '../../src/l10n';

const root = path.resolve(__dirname, '../../..');

describe('Bundles: what crosses between dist/*.js', () => {
  it('fetchModule finds node-fetch in the namespace of dist/fetch.js (CommonJS) and of node-fetch (ESM)', async () => {
    const file = path.join(root, 'dist', 'fetch.js');
    assert.ok(fs.existsSync(file), 'the build stage writes dist/fetch.js');
    const cjs = fetchModule((await import(pathToFileURL(file).href)) as never);
    assert.equal(typeof cjs.default, 'function', 'fetch from the CommonJS bundle');
    assert.equal(typeof cjs.FetchError, 'function');
    const esm = fetchModule((await import('node-fetch')) as never);
    assert.equal(typeof esm.default, 'function', 'fetch from node-fetch itself');
  });

  it('the extension bundle loads node-fetch, insights, the archive, the panels, Check Setup and export output from their own bundles', () => {
    const ext = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    for (const b of ['fetch', 'archive', 'insights', 'panels', 'setup', 'output']) {
      assert.match(ext, new RegExp(`["']\\./${b}\\.js["']`), `requires ./${b}.js`);
    }
    assert.doesNotMatch(ext, /class FetchError|ndjson\.gz/, 'node-fetch and the archive core are not inlined');
    assert.doesNotMatch(ext, /Content-Security-Policy/, 'the webview panels (their HTML) are not inlined');
  });

  it('every bundle dist/extension.js requires is in the package (.vscodeignore allows it)', () => {
    const ext = fs.readFileSync(path.join(root, 'dist', 'extension.js'), 'utf8');
    const allowed = fs
      .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).trim());
    const required = [
      ...new Set([...ext.matchAll(/(?:require|import)\(["']\.\/([\w.-]+\.js)["']\)/g)].map((m) => m[1])),
    ];
    assert.ok(required.length >= 5 && required.includes('fetch.js'), `found ${required.join(', ')}`);
    for (const file of required) {
      assert.ok(fs.existsSync(path.join(root, 'dist', file)), `dist/${file} is built`);
      assert.ok(allowed.includes(`dist/${file}`), `.vscodeignore allows dist/${file}`);
    }
  });

  it("the translator activate() sets also translates the messages of dist/insights.js's own copy of l10n", () => {
    const file = path.join(root, 'dist', 'insights.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the shipped bundle, as the extension loads it
    const core = require(file) as { compileRules: (b: unknown, r: unknown[], t: string[]) => { problems: string[] } };
    setTranslator((m, ...a) => `«${format(m, a)}»`);
    try {
      const { problems } = core.compileRules([], [{ id: 'broken' }], []);
      assert.ok(problems.length > 0, 'a bad rule is reported');
      assert.ok(
        problems.every((p) => p.startsWith('«') && p.endsWith('»')),
        `translated by the translator set here: ${problems.join(' | ')}`,
      );
    } finally {
      setTranslator(undefined);
    }
  });

  it("ZoomError is recognised whichever bundle's copy of the class made it", () => {
    // What another bundle's copy of the class leaves on its instances.
    const foreign = Object.assign(new Error('x'), { kind: 'pageToken' });
    Object.defineProperty(foreign, Symbol.for('zoom-operation-logs.ZoomError'), { value: true });
    assert.ok(foreign instanceof ZoomError);
    assert.ok(new ZoomError('network', 'y') instanceof ZoomError);
    assert.ok(!(new Error('z') instanceof ZoomError));
    assert.ok(!((null as unknown as object) instanceof ZoomError) && !({ kind: 'network' } instanceof ZoomError));
  });
});
