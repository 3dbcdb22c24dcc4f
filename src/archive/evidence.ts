/**
 * Evidence pack: a folder a reviewer can check on its own. entries.json, entries.csv,
 * findings.json (if any) and manifest.json with the query, time zone, coverage per day,
 * counts, the SHA-256 of every other file, the extension version and when it was made.
 * verifyEvidencePack() recomputes the hashes and says what changed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { formatChunks } from '../export/formats';
import type { OperationLogEntry } from '../zoom/types';
import { writeChunksAtomic, writeFileAtomic, type StepHook } from './durable';
import { ArchiveError, diskError } from './errors';
import { isSha256 } from './format';
import { l10n } from '../l10n';

export const EVIDENCE_FORMAT = 'zoom-operation-logs-evidence';
export const EVIDENCE_MANIFEST = 'manifest.json'; // l10n-ignore: a file name

export interface EvidenceCoverageDay {
  day: string;
  status: string;
  entries?: number;
}

/** Which Zoom account the entries came from: its name in the extension and the API host. Never a credential. */
export interface EvidenceAccount {
  name: string;
  apiHost: string;
}

export interface EvidenceInput {
  /** The account the entries came from (several accounts share one VS Code). */
  account?: EvidenceAccount;
  /** What was asked (range, categories, filter...), recorded as given. */
  query: unknown;
  timeZone: string;
  entries: readonly OperationLogEntry[];
  findings?: unknown;
  coverage: readonly EvidenceCoverageDay[];
  extensionVersion: string;
  /** Prefix CSV cells a spreadsheet would run as formulas (default true; entries.json keeps the raw text). */
  csvFormulaGuard?: boolean;
  now?: () => number;
  /** Called before every change to the disk (tests fail a write at a chosen step). */
  step?: StepHook;
}

export interface EvidenceFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface EvidenceManifest {
  format: typeof EVIDENCE_FORMAT;
  version: 1;
  createdAt: string;
  extensionVersion: string;
  account?: EvidenceAccount;
  query: unknown;
  timeZone: string;
  counts: { entries: number; byCategory: Record<string, number>; findings?: number };
  coverage: readonly EvidenceCoverageDay[];
  files: EvidenceFile[];
}

export interface EvidenceCheck {
  ok: boolean;
  modified: string[];
  missing: string[];
  extra: string[];
  /** Set when manifest.json itself is missing or unreadable. */
  problem?: string;
  message: string;
}

/** Writes the pack into `dir`, which must not exist or be empty. Returns its manifest. */
export async function exportEvidencePack(dir: string, input: EvidenceInput): Promise<EvidenceManifest> {
  const written: string[] = [];
  try {
    return await writePack(dir, input, written);
  } catch (e) {
    const disk = diskError(e, dir);
    if (disk !== e) {
      // A half pack (no manifest.json) proves nothing and would make the folder "not empty" for the next try.
      for (const name of written) await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
    }
    throw disk;
  }
}

async function writePack(dir: string, input: EvidenceInput, written: string[]): Promise<EvidenceManifest> {
  await fsp.mkdir(dir, { recursive: true });
  const present = await fsp.readdir(dir);
  if (present.length) {
    throw new ArchiveError(
      'notEmpty',
      l10n.t(
        'The folder {0} already holds files; choose an empty folder for the evidence pack so nothing is mixed in.',
        dir,
      ),
    );
  }
  // Entries are written chunk by chunk: a pack of millions of entries is larger than one string can hold.
  const guard = input.csvFormulaGuard ?? true;
  const contents: [string, Iterable<string>][] = [
    ['entries.json', formatChunks(input.entries, 'json', { formulaGuard: guard })],
    ['entries.csv', formatChunks(input.entries, 'csv', { formulaGuard: guard })],
  ];
  if (input.findings !== undefined) contents.push(['findings.json', [`${JSON.stringify(input.findings, null, 2)}\n`]]);
  const files: EvidenceFile[] = [];
  for (const [name, chunks] of contents) {
    written.push(name);
    const file = await writeChunksAtomic(path.join(dir, name), chunks, { step: input.step });
    files.push({ name, ...file });
  }
  const byCategory: Record<string, number> = {};
  for (const e of input.entries) byCategory[e.categoryType] = (byCategory[e.categoryType] ?? 0) + 1;
  const manifest: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    version: 1,
    createdAt: new Date((input.now ?? Date.now)()).toISOString(),
    extensionVersion: input.extensionVersion,
    ...(input.account ? { account: { name: input.account.name, apiHost: input.account.apiHost } } : {}),
    query: input.query,
    timeZone: input.timeZone,
    counts: {
      entries: input.entries.length,
      byCategory,
      ...(Array.isArray(input.findings) ? { findings: input.findings.length } : {}),
    },
    coverage: input.coverage,
    files,
  };
  written.push(EVIDENCE_MANIFEST);
  await writeFileAtomic(path.join(dir, EVIDENCE_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, input.step);
  return manifest;
}

/** Recomputes every file's SHA-256 against manifest.json and lists modified, missing and extra files. */
export async function verifyEvidencePack(dir: string): Promise<EvidenceCheck> {
  const fail = (problem: string): EvidenceCheck => ({
    ok: false,
    modified: [],
    missing: [],
    extra: [],
    problem,
    message: l10n.t('{0} The pack cannot be verified.', problem),
  });
  let manifest: EvidenceManifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(dir, EVIDENCE_MANIFEST), 'utf8')) as EvidenceManifest;
  } catch (e) {
    return fail(
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? l10n.t('{0} is missing from {1}.', EVIDENCE_MANIFEST, dir)
        : l10n.t('{0} in {1} is not valid JSON.', EVIDENCE_MANIFEST, dir),
    );
  }
  if (manifest?.format !== EVIDENCE_FORMAT || !Array.isArray(manifest.files)) {
    return fail(l10n.t('{0} in {1} is not an evidence-pack manifest.', EVIDENCE_MANIFEST, dir));
  }
  // Each listed file is a plain name in the pack with a SHA-256, as exportEvidencePack writes it; anything else (a
  // path, a second listing, no hash) is not this extension's manifest, and is said rather than read.
  const names = new Set<string>();
  for (const f of manifest.files as unknown[]) {
    const name = typeof f === 'object' && f !== null ? (f as EvidenceFile).name : undefined;
    const hash = typeof f === 'object' && f !== null ? (f as EvidenceFile).sha256 : undefined;
    const plain = typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[\\/\0]/.test(name);
    if (!plain || names.has(name) || name === EVIDENCE_MANIFEST || !isSha256(hash)) {
      const shown = JSON.stringify(typeof name === 'string' ? name.slice(0, 60) : (name ?? null));
      return fail(l10n.t('{0} in {1} lists a file {2} that no evidence pack holds.', EVIDENCE_MANIFEST, dir, shown));
    }
    names.add(name);
  }
  const modified: string[] = [];
  const missing: string[] = [];
  const listed = new Set<string>([EVIDENCE_MANIFEST]);
  for (const f of manifest.files) {
    listed.add(f.name);
    let hash: string;
    try {
      hash = await sha256OfFile(path.join(dir, f.name));
    } catch {
      missing.push(f.name);
      continue;
    }
    if (hash !== f.sha256) modified.push(f.name);
  }
  const extra = (await fsp.readdir(dir)).filter((n) => !listed.has(n)).sort();
  const ok = !modified.length && !missing.length && !extra.length;
  const parts = [
    modified.length ? l10n.t('modified: {0}', modified.join(', ')) : '',
    missing.length ? l10n.t('missing: {0}', missing.join(', ')) : '',
    extra.length ? l10n.t('not part of the pack: {0}', extra.join(', ')) : '',
  ].filter(Boolean);
  return {
    ok,
    modified,
    missing,
    extra,
    message: ok
      ? l10n.t('All {0} files match the SHA-256 values in {1}.', manifest.files.length, EVIDENCE_MANIFEST)
      : l10n.t('The evidence pack changed after it was made ({0}).', parts.join('; ')),
  };
}

/** The SHA-256 of a file, read in pieces: a pack's entries.json can be larger than one buffer should hold. */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
