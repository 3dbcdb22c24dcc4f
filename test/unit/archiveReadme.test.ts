/** The README's Archive section states the on-disk format; a real archive must match it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { accountArchiveDir, Archive, listDayFiles } from '../../src/archive';
import { startSimulator } from '../simulator/index';
import { removeTempDirs, T0, tempDir } from './support/archiveHelpers';
import { staticClient } from './support/helpers';

function archiveSection(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf('## Archive');
  assert.ok(start >= 0, 'README has an Archive section');
  const end = readme.indexOf('\n## ', start + 5);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('README Archive section against real archive files', function () {
  this.timeout(30_000);
  after(removeTempDirs);

  it('paths, the example line’s fields and order, oldest first, and a DuckDB glob that matches the files', async () => {
    const section = archiveSection();
    const example = /```json\n\s*(\{.*\})\n/.exec(section)?.[1];
    assert.ok(example, 'an example line');
    const fields = Object.keys(JSON.parse(example) as object);
    const glob = /read_json_auto\('([^']+)'\)/.exec(section)?.[1];
    assert.ok(glob, 'a DuckDB query');
    assert.match(section, /account-<hex>\/YYYY\/MM\/YYYY-MM-DD\.ndjson\.gz/);

    const sim = await startSimulator({ seed: 8, entries: 1500, now: T0, rps: 0 });
    try {
      const root = tempDir();
      const dir = accountArchiveDir(root, 's2s:acct');
      await (await Archive.open(dir, { now: () => sim.clock.now() })).sync(staticClient(sim));
      const files = await listDayFiles(dir);
      assert.ok(files.length > 100);
      // The glob, as DuckDB reads it, relative to the archive root: account-*/*/*/*.ndjson.gz.
      const re = new RegExp(
        `^${glob
          .split('/')
          .map((p) => p.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*'))
          .join('/')}$`,
      );
      let lines = 0;
      for (const rel of files) {
        const full = path.join(path.basename(dir), rel);
        assert.match(full, re, 'the DuckDB glob matches every day file');
        assert.match(rel, /^\d{4}\/\d{2}\/\d{4}-\d{2}-\d{2}\.ndjson\.gz$/);
        const text = gunzipSync(fs.readFileSync(path.join(dir, rel))).toString('utf8');
        assert.ok(text.endsWith('\n'));
        let prev = '';
        for (const line of text.slice(0, -1).split('\n')) {
          const o = JSON.parse(line) as Record<string, string>;
          assert.deepEqual(Object.keys(o), fields, 'the README’s fields, in its order');
          assert.ok(o.time >= prev, 'oldest first');
          prev = o.time;
          lines++;
        }
      }
      assert.equal(lines, sim.data.length);
    } finally {
      await sim.close();
    }
  });
});
