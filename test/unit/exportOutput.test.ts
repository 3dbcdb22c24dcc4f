/**
 * Exports too large for one string: src/export/formats.ts's formatChunks (the same text as the one-string export,
 * in pieces) and src/archive/durable.ts's writeChunksAtomic (those pieces to a file, or nothing when it fails).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  CSV_HEADER,
  csvCell,
  formatChunks,
  formatEntries,
  parseCsv,
  type ExtraColumns,
} from '../../src/export/formats';
import { writeChunksAtomic } from '../../src/archive/durable';
import { toRawEntry, type OperationLogEntry } from '../../src/zoom';
import { removeTempDirs, tempDir } from './support/archiveHelpers';
import { logEntry } from './support/helpers';

const EXTRA: ExtraColumns = {
  names: ['target', 'setting'],
  values: (e) => [`t:${e.operator}`, e.action === 'Add' ? '' : `s\n"${e.action}"`],
};

/** The export as it was made before formatChunks: one JSON.stringify, or the rows joined. */
function reference(entries: OperationLogEntry[], format: 'json' | 'csv', extra?: ExtraColumns): string {
  const rows = entries.map((e) => {
    const row: Record<string, string> = { ...toRawEntry(e) };
    extra?.names.forEach((n, i) => (row[n] = extra.values(e)[i] ?? ''));
    return row;
  });
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const names = [...CSV_HEADER, ...(extra?.names ?? [])];
  const lines = [names.join(','), ...rows.map((r) => names.map((n) => csvCell(r[n], true)).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

const someEntries = (
  n: number,
  detail = (i: number): string => `Update User u${i}@example.com  - Job Title: set to X`,
) =>
  Array.from({ length: n }, (_, i) =>
    logEntry({
      action: i % 3 ? 'Update' : 'Add',
      categoryType: 'User',
      detail: detail(i),
      operator: `admin${i}@example.com`,
      ms: Date.UTC(2026, 10, 1) + i * 1000,
    }),
  );

describe('Export output: formatChunks', () => {
  for (const n of [0, 1, 199, 200, 201, 401]) {
    it(`${n} entries: the pieces make the same JSON and CSV as one string did, with and without parsed columns`, () => {
      const entries = someEntries(n);
      for (const format of ['json', 'csv'] as const) {
        for (const extra of [undefined, EXTRA]) {
          const pieces = [...formatChunks(entries, format, { formulaGuard: true, extra })];
          assert.equal(pieces.join(''), reference(entries, format, extra), `${format}${extra ? ' + parsed' : ''}`);
          assert.equal(formatEntries(entries, format, { formulaGuard: true, extra }), pieces.join(''));
          // A piece holds at most 200 entries: its size does not grow with the export.
          assert.equal(pieces.length, format === 'json' ? Math.max(1, Math.ceil(n / 200)) : Math.floor(n / 200) + 1);
        }
      }
      if (n) assert.equal((JSON.parse(formatEntries(entries, 'json', { formulaGuard: true })) as unknown[]).length, n);
    });
  }

  it('property: any details (line ends, quotes, U+2028, lone surrogates, braces) give the same text as one string', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { maxLength: 450 }),
        fc.boolean(),
        (details, withExtra) => {
          const entries = someEntries(details.length, (i) => details[i]);
          const extra = withExtra ? EXTRA : undefined;
          for (const format of ['json', 'csv'] as const) {
            assert.equal(
              [...formatChunks(entries, format, { formulaGuard: true, extra })].join(''),
              reference(entries, format, extra),
            );
          }
          assert.deepEqual(
            parseCsv(formatEntries(entries, 'csv', { formulaGuard: false }))
              .slice(1)
              .map((r) => r[4]),
            details,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('Export output: writeChunksAtomic', () => {
  afterEach(removeTempDirs);
  const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.includes('.tmp-'));

  it('writes the pieces as UTF-8 and returns the size and SHA-256 of what is on disk', async () => {
    const dir = tempDir('export');
    const file = path.join(dir, 'out.json');
    const pieces = ['[', 'é中😀', '\u2028', ']\n'];
    const seen: number[] = [];
    const got = await writeChunksAtomic(file, pieces, { onBytes: (b) => seen.push(b) });
    const disk = fs.readFileSync(file);
    assert.equal(disk.toString('utf8'), pieces.join(''));
    assert.deepEqual(got, { bytes: disk.length, sha256: createHash('sha256').update(disk).digest('hex') });
    assert.deepEqual(seen, [1, 10, 13, 15], 'bytes so far after each piece');
    assert.deepEqual(leftovers(dir), []);
  });

  it('writes more than one string can hold, piece by piece (a generator that never holds it all)', async function () {
    this.timeout(60_000);
    const dir = tempDir('export');
    const file = path.join(dir, 'big.csv');
    // 640 MB of text: past V8's longest string (about 512 million characters), so no single string could be it.
    const piece = 'x'.repeat(1024 * 1024 - 2) + '\r\n';
    function* pieces(): Generator<string> {
      for (let i = 0; i < 640; i++) yield piece;
    }
    assert.throws(() => piece.repeat(640), RangeError, 'the text is too long for one string');
    const got = await writeChunksAtomic(file, pieces());
    assert.equal(got.bytes, 640 * 1024 * 1024);
    assert.equal(fs.statSync(file).size, got.bytes);
  });

  it('cancelled between pieces: no file, no temp, an older file of that name kept as it was', async () => {
    const dir = tempDir('export');
    const file = path.join(dir, 'out.csv');
    fs.writeFileSync(file, 'the old export');
    const controller = new AbortController();
    function* pieces(): Generator<string> {
      yield 'a';
      controller.abort();
      yield 'b';
    }
    await assert.rejects(writeChunksAtomic(file, pieces(), { signal: controller.signal }), { name: 'AbortError' });
    assert.equal(fs.readFileSync(file, 'utf8'), 'the old export');
    assert.deepEqual(leftovers(dir), []);
  });

  it('the pieces fail mid-way (the formatter throws): the error passes, no temp is left, the old file stays', async () => {
    const dir = tempDir('export');
    const file = path.join(dir, 'out.json');
    fs.writeFileSync(file, 'old');
    function* pieces(): Generator<string> {
      yield 'x'.repeat(100_000);
      throw new RangeError('Invalid string length');
    }
    await assert.rejects(writeChunksAtomic(file, pieces()), RangeError);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(leftovers(dir), []);
  });

  it('a failure at each step of the write (create, write, fsync, rename, dir fsync) leaves the old file or the new', async () => {
    const steps: string[] = [];
    const probe = tempDir('export');
    await writeChunksAtomic(path.join(probe, 'f'), ['new'], { step: (s) => steps.push(s) });
    assert.deepEqual(
      steps.map((s) => s.split(' ')[0]),
      ['temp-create', 'temp-write', 'temp-fsync', 'rename', 'dir-fsync'],
    );
    // Compared by kind: the directory's fsync names the (random) temp folder.
    for (const failAt of steps.map((s) => s.split(' ')[0])) {
      const dir = tempDir('export');
      const file = path.join(dir, 'f');
      fs.writeFileSync(file, 'old');
      const step = (s: string): void => {
        if (!s.startsWith(`${failAt} `)) return;
        throw Object.assign(new Error(`ENOSPC: no space left on device (${s})`), { code: 'ENOSPC' });
      };
      await assert.rejects(writeChunksAtomic(file, ['new'], { step }), /ENOSPC/);
      const now = fs.readFileSync(file, 'utf8');
      assert.equal(now, failAt.startsWith('dir-fsync') ? 'new' : 'old', `failing at ${failAt}`);
      assert.deepEqual(leftovers(dir), [], `no temp after failing at ${failAt}`);
    }
  });

  it('a folder that does not exist: ENOENT, nothing made', async () => {
    const dir = tempDir('export');
    await assert.rejects(writeChunksAtomic(path.join(dir, 'missing', 'out.json'), ['x']), { code: 'ENOENT' });
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
