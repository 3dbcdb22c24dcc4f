/** Sync with overwriteDamaged fetches a damaged day again even when it is older than where the next sync starts. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Archive, dayFilePath } from '../../src/archive';
import { addDays, todayUtc } from '../../src/zoom/dates';
import { startSimulator } from '../simulator/index';
import { removeTempDirs, T0, tempDir } from './support/archiveHelpers';
import { staticClient } from './support/helpers';

describe('Archive repair', function () {
  this.timeout(30_000);
  after(removeTempDirs);

  it('a damaged complete day weeks before the sync start is fetched again when asked, and only then', async () => {
    const sim = await startSimulator({ seed: 12, entries: 3000, rps: 0, now: T0 });
    try {
      const dir = tempDir();
      const archive = await Archive.open(dir, { now: () => sim.clock.now() });
      await archive.sync(staticClient(sim));
      const today = todayUtc(T0);
      const day = Object.entries(archive.manifest.days).find(([d, r]) => r.entries > 0 && d < addDays(today, -40))?.[0];
      assert.ok(day);
      const file = dayFilePath(dir, day);
      const good = fs.readFileSync(file);
      fs.writeFileSync(file, Buffer.concat([good, Buffer.from('x')]));
      const plain = await archive.sync(staticClient(sim));
      assert.ok(plain.from > day, 'a plain sync does not reach the day');
      assert.equal((await archive.verify()).ok, false);
      const repair = await archive.sync(staticClient(sim), { overwriteDamaged: true });
      assert.equal(repair.from, day, 'the repair starts at the damaged day');
      assert.deepEqual(fs.readFileSync(file), good, 'the day is Zoom’s answer again');
      assert.equal((await archive.verify()).ok, true);
    } finally {
      await sim.close();
    }
  });
});
