/**
 * Command IDs, the view ID and context keys live in src/commands/ids.ts; package.json's
 * contributions must agree with it, and the README's Commands table must name every command.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ARCHIVE_VIEW_ID,
  BUILTIN_COMMANDS,
  COMMANDS,
  CONTEXT_KEYS,
  FINDINGS_VIEW_ID,
  PREFIX,
  VIEW_ID,
} from '../../src/commands/ids';
import { NODE_CLICK_COMMANDS } from '../../src/views/treeModel';

const root = path.resolve(__dirname, '../../..');

interface MenuItem {
  command: string;
  when?: string;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string; when?: string }[];
    menus: Record<string, MenuItem[]>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;
const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The text of a README section, from its `## title` to the next `## `. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : d.name.endsWith('.ts') ? [p] : [];
  });
}

const contributed = manifest.contributes.commands.map((c) => c.command);
const ids: string[] = Object.values(COMMANDS);

describe('Command IDs (src/commands/ids.ts) and package.json', () => {
  it('COMMANDS holds exactly the commands package.json contributes, named after their keys', () => {
    assert.deepEqual([...ids].sort(), [...contributed].sort());
    for (const [key, id] of Object.entries(COMMANDS)) assert.equal(id, `${PREFIX}.${key}`);
  });

  it('the view ID and every context key are the ones package.json uses', () => {
    assert.ok(manifest.contributes.views.zoom.some((v) => v.id === VIEW_ID));
    assert.ok(manifest.contributes.views.zoom.some((v) => v.id === FINDINGS_VIEW_ID));
    assert.ok(manifest.contributes.views.zoom.some((v) => v.id === ARCHIVE_VIEW_ID));
    const whens = [
      ...Object.values(manifest.contributes.menus)
        .flat()
        .map((m) => m.when ?? ''),
      ...manifest.contributes.viewsWelcome.map((w) => w.when ?? ''),
      ...manifest.contributes.commands.map((c) => (c as { enablement?: string }).enablement ?? ''),
      // Walkthrough steps complete on context keys too.
      ...(
        (manifest.contributes as { walkthroughs?: { steps: { completionEvents?: string[] }[] }[] }).walkthroughs ?? []
      )
        .flatMap((w) => w.steps)
        .flatMap((st) => st.completionEvents ?? [])
        .filter((e) => e.startsWith('onContext:')),
    ];
    const used = new Set(whens.flatMap((w) => w.match(/\bzoomOperationLogs\.\w+/g) ?? []));
    used.delete(VIEW_ID);
    used.delete(FINDINGS_VIEW_ID);
    used.delete(ARCHIVE_VIEW_ID);
    assert.deepEqual([...used].sort(), Object.values(CONTEXT_KEYS).sort(), 'context keys in when clauses');
  });

  it('activation events and welcome-view links name contributed commands', () => {
    for (const e of manifest.activationEvents.filter((a) => a.startsWith('onCommand:'))) {
      assert.ok(ids.includes(e.slice('onCommand:'.length)), e);
    }
    for (const text of Object.values(nls)) {
      for (const [, id] of text.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ids.includes(id), `command link ${id}`);
    }
  });

  it('every menu entry names a contributed command', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(ids.includes(item.command), `${menu}: ${item.command}`);
    }
  });

  it('every command hidden from the palette is in a view menu or is what clicking a tree node runs', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command);
    assert.ok(hidden.length >= 6, `positive control: ${hidden.length} hidden commands`);
    const inMenus = new Set(
      Object.entries(manifest.contributes.menus)
        .filter(([menu]) => menu !== 'commandPalette')
        .flatMap(([, items]) => items.map((i) => i.command)),
    );
    const unreachable = hidden.filter((id) => !inMenus.has(id) && !NODE_CLICK_COMMANDS.includes(id));
    assert.deepEqual(unreachable, [], 'hidden commands nobody can run');
    // The copy commands are on the entry's context menu.
    for (const id of [COMMANDS.copyJson, COMMANDS.copyOperator, COMMANDS.copyDetail]) {
      const item = manifest.contributes.menus['view/item/context'].find((m) => m.command === id);
      assert.ok(item, `${id} in the context menu`);
      assert.match(item.when ?? '', /\\bentry\\b/);
    }
  });

  it("the README's Commands table names every contributed command by its title", () => {
    const table = section('Commands');
    const missing = manifest.contributes.commands
      .map((c) => nls[c.title.slice(1, -1)])
      .filter((title) => !table.includes(title));
    assert.deepEqual(missing, [], 'titles missing from the README Commands table');
  });

  it('src names commands only through COMMANDS (no string literal of a command ID elsewhere)', () => {
    const src = path.join(root, 'src');
    const allowed = new Set([path.join(src, 'commands', 'ids.ts')]);
    const found: string[] = [];
    for (const file of tsFiles(src)) {
      if (allowed.has(file)) continue;
      const text = fs.readFileSync(file, 'utf8');
      for (const id of [
        ...ids,
        VIEW_ID,
        FINDINGS_VIEW_ID,
        ...Object.values(CONTEXT_KEYS),
        ...Object.values(BUILTIN_COMMANDS),
      ]) {
        if (text.includes(`'${id}'`) || text.includes(`"${id}"`) || text.includes(`\`${id}\``)) {
          found.push(`${path.relative(root, file)}: ${id}`);
        }
      }
    }
    assert.deepEqual(found, []);
  });
});
