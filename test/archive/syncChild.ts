/**
 * A sync in a child process, for the archive's crash and concurrency tests
 * (test/unit/archiveCrash.test.ts). Environment:
 *   ARCHIVE_DIR, ARCHIVE_API_BASE, ARCHIVE_TOKEN   where to write and which simulator to read
 *   ARCHIVE_KILL_AT_STEP=n                          SIGKILL itself just before the n-th change to the disk
 *   ARCHIVE_LOCK_WAIT_MS                            wait this long for another syncer's lock
 * Prints `SYNC-CHILD {"steps":n,"result":{...}}` or `SYNC-CHILD {"error":"kind"}` and exits 0.
 */
import { Archive } from '../../src/archive';
import { StaticTokenSource } from '../../src/zoom/auth';
import { ZoomClient } from '../../src/zoom/client';

async function main(): Promise<void> {
  const env = process.env;
  const killAt = Number(env.ARCHIVE_KILL_AT_STEP ?? 0);
  let steps = 0;
  const archive = await Archive.open(env.ARCHIVE_DIR ?? '', {
    lockWaitMs: Number(env.ARCHIVE_LOCK_WAIT_MS ?? 0),
    step: () => {
      steps++;
      if (killAt > 0 && steps === killAt) process.kill(process.pid, 'SIGKILL');
    },
  });
  const client = new ZoomClient({
    apiBaseUrl: env.ARCHIVE_API_BASE,
    tokens: new StaticTokenSource(env.ARCHIVE_TOKEN ?? ''),
    requestsPerSecond: 1000,
    backoffBaseMs: 2,
    backoffCapMs: 20,
  });
  try {
    const result = await archive.sync(client, { pageSize: Number(env.ARCHIVE_PAGE_SIZE ?? 300) });
    console.log(`SYNC-CHILD ${JSON.stringify({ steps, result })}`);
  } catch (e) {
    console.log(`SYNC-CHILD ${JSON.stringify({ steps, error: (e as { kind?: string }).kind ?? String(e) })}`);
  }
}

void main();
