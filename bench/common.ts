// Shared by the benchmark programs (bench/run.ts and the child processes it spawns).
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { SimEntry } from '../test/simulator/data';
import type { OperationLogEntry, Page, PageRequest, ZoomClient } from '../src/zoom';
import { parsePage } from '../src/zoom';

/** Children print one line `BENCH-RESULT {json}`; run.ts parses it. */
export const RESULT_PREFIX = 'BENCH-RESULT ';

export function emit(result: unknown): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Zoom's page body for `entries` (the same shape the simulator sends). */
export function pageJson(entries: readonly SimEntry[], from: string, to: string, next: string): string {
  return JSON.stringify({ from, to, page_size: 300, next_page_token: next, operation_logs: entries });
}

/** Splits entries into page bodies of `size`, each with a unique next token except the last. */
export function pageTexts(entries: readonly SimEntry[], size = 300): string[] {
  const out: string[] = [];
  const from = entries.length ? entries[entries.length - 1].time.slice(0, 10) : '2026-01-01';
  const to = entries.length ? entries[0].time.slice(0, 10) : '2026-01-01';
  for (let i = 0; i < entries.length; i += size) {
    const last = i + size >= entries.length;
    out.push(pageJson(entries.slice(i, i + size), from, to, last ? '' : `bench-token-${i / size + 1}`));
  }
  return out;
}

const NO_HEADERS = { get: (): null => null };

/** parsePage of src/zoom/client.ts on a 200 body; throws on a bad page. */
export function parseBody(text: string): Page {
  const page = parsePage({ status: 200, headers: NO_HEADERS, text });
  if (page instanceof Error) throw page;
  return page;
}

/**
 * A ZoomClient stand-in that answers fetchPage from prepared bodies, in order, through
 * the real parsePage: lets CategoryLog/QueryCursor run without HTTP.
 */
export function stubClient(next: () => string | undefined): ZoomClient {
  const stub = {
    requests: 0,
    fetchPage(_req: PageRequest): Promise<Page> {
      stub.requests++;
      const text = next();
      return Promise.resolve(
        text === undefined ? { entries: [] as OperationLogEntry[], nextPageToken: '' } : parseBody(text),
      );
    },
  };
  return stub as unknown as ZoomClient;
}

/** Runs `node [flags] out/bench/<file>` with env, returns the parsed BENCH-RESULT line. */
export function runChild<T>(
  file: string,
  opts: { flags?: string[]; env?: Record<string, string>; args?: string[]; timeoutMs?: number; echo?: boolean } = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.flags ?? []), path.join(__dirname, file), ...(opts.args ?? [])], {
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 180_000);
    child.stdout.on('data', (b: Buffer) => {
      const s = b.toString('utf8');
      out += s;
      if (opts.echo) {
        for (const l of s.split('\n')) if (l.trim() && !l.startsWith(RESULT_PREFIX)) console.log(`  [${file}] ${l}`);
      }
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out
        .split('\n')
        .reverse()
        .find((l) => l.startsWith(RESULT_PREFIX));
      if (!line) {
        return reject(new Error(`${file} exited ${code} without a result:\n${err.slice(-2000)}\n${out.slice(-2000)}`));
      }
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
    });
  });
}
