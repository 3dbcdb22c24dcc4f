/**
 * Every user-facing string in code goes through `vscode.l10n.t` (vscode-facing code) or `l10n.t` from src/l10n
 * (the plain-Node layers), so a translation is one more l10n/bundle.l10n.<locale>.json.
 *
 * What counts as user-facing: text shown in a notification, quick pick, input box, progress title, tree item or
 * webview, or an error message that can reach one (every Error's message can: ZoomErrors become tree message nodes
 * and notifications, and toZoomError shows any other Error's). Lines for the output channel (logger.info/warn/error,
 * request summaries) are diagnostics, not UI, and stay English.
 *
 * The scanner below (TypeScript compiler API, syntax only) flags a string or template literal holding a letter in
 * one of these clear positions, unless it is wrapped in l10n.t / vscode.l10n.t:
 *   - the message of `new XxxError(...)` (argument 1 of ZoomError, ArchiveError, SecretStoreError; else argument 0);
 *   - every argument of `show(Information|Warning|Error)Message(...)` (the message and the button labels);
 *   - the first argument of `new TreeItem(...)` / `new vscode.TreeItem(...)`;
 *   - properties `title`, `prompt`, `placeHolder`/`placeholder`, `label`, `description`, `detail`, `tooltip`,
 *     `message`, `validationMessage`, `fix`, `check`, in an object literal or assigned (`pick.title = ...`):
 *     withProgress, showInputBox, showQuickPick/createQuickPick and its items, tree items, setup-check lines,
 *     rules' titles and checks, archive messages;
 *   - every argument of `problems.push(...)` (the problems a filter, rules or settings show to the person);
 *   - what `validateInput` returns, and what a function whose JSDoc carries `@userFacing` returns.
 * In a position it follows conditionals (`a ? 'x' : 'y'`), `+`, `??`, `||`, template substitutions and local
 * `const`s of the same file (`const fix = '...'; new ZoomError(k, \`... ${fix}\`)`). `// l10n-ignore` on the
 * literal's line or the line above exempts a deliberate exception (a code, a URL).
 * It also flags `l10n.t` called at module load (evaluated before activate() sets the translator: stays English),
 * a first argument that is not a plain literal (no extractor can collect it), and fewer arguments than placeholders.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { checkRange } from '../../src/zoom/dates';
import { oauthError } from '../../src/zoom/auth';
import { format, l10n, setTranslator } from '../../src/l10n';

const root = path.resolve(__dirname, '../../..');

/** Every source file of src/ is scanned. */
const SCANNED = ['src'];
const NOT_YET = new Set<string>([]);

/** Error classes whose first argument is a kind (a code) and whose message is the second. */
const KIND_FIRST = new Set(['ZoomError', 'ArchiveError', 'SecretStoreError']);
const USER_FACING_PROPS = new Set([
  'title',
  'prompt',
  'placeHolder',
  'placeholder',
  'label',
  'description',
  'detail',
  'tooltip',
  'message',
  'validationMessage',
  'fix',
  'check',
]);

interface Finding {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly why: string;
}

/** What scripts/l10n.mjs exports for recognising calls (it also writes the bundle): one definition for both. */
interface Collector {
  isL10nCall(node: ts.Node): node is ts.CallExpression;
  isForwarder(call: ts.CallExpression): boolean;
  bundleFor(root: string): { text: string; count: number; problems: string[] };
  BUNDLE: string;
}
let collector: Collector | undefined;
/** scripts/l10n.mjs, an ES module, loaded once (the first test that needs it; mocha awaits `before`). */
async function loadCollector(): Promise<Collector> {
  collector ??= (await import(pathToFileURL(path.join(root, 'scripts/l10n.mjs')).href)) as Collector;
  return collector;
}
function isL10nCall(node: ts.Node): node is ts.CallExpression {
  if (!collector) throw new Error('scripts/l10n.mjs is not loaded yet (loadCollector in a before hook)');
  return collector.isL10nCall(node);
}

const HAS_LETTER = /\p{L}/u;

/** The last name of a callee or class expression: `vscode.window.showErrorMessage` -> showErrorMessage. */
function nameOf(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

function isFunctionLike(n: ts.Node): n is ts.FunctionLikeDeclaration {
  return (
    ts.isFunctionDeclaration(n) ||
    ts.isFunctionExpression(n) ||
    ts.isArrowFunction(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n) ||
    ts.isConstructorDeclaration(n)
  );
}

/** `/** @userFacing *\/` on a function, a method, or the `const` holding an arrow function. */
function markedUserFacing(fn: ts.FunctionLikeDeclaration): boolean {
  const holder = ts.isVariableDeclaration(fn.parent) ? fn.parent.parent.parent : fn;
  return ts.getJSDocTags(holder).some((t) => t.tagName.text === 'userFacing');
}

/** Returns of a function body (not of functions nested in it); an expression body is its one return. */
function returnsOf(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  if (!fn.body) return [];
  if (!ts.isBlock(fn.body)) return [fn.body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(fn.body, visit);
  return out;
}

/** The initializer of the `const` this identifier names in an enclosing scope of the same file. */
function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  for (let scope: ts.Node | undefined = id.parent; scope; scope = scope.parent) {
    const statements = ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope) ? scope.statements : [];
    for (const s of statements) {
      if (!ts.isVariableStatement(s) || !(s.declarationList.flags & ts.NodeFlags.Const)) continue;
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === id.text) return d.initializer;
      }
    }
  }
  return undefined;
}

/** Finds user-facing literals that bypass l10n in one source text. */
export function scan(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = text.split('\n');
  const findings: Finding[] = [];
  const reported = new Set<number>();
  const ignored = (line: number): boolean =>
    /\/\/\s*l10n-ignore\b/.test(lines[line] ?? '') || /^\s*\/\/\s*l10n-ignore\b/.test(lines[line - 1] ?? '');
  const report = (node: ts.Node, why: string): void => {
    const start = node.getStart(source);
    const { line } = source.getLineAndCharacterOfPosition(start);
    if (reported.has(start) || ignored(line)) return;
    reported.add(start);
    findings.push({ file, line: line + 1, text: node.getText(source).slice(0, 100), why });
  };

  /** Flags the literals an expression in a user-facing position is made of. */
  const check = (e: ts.Expression | undefined, why: string, seen = new Set<ts.Node>()): void => {
    if (!e || seen.has(e)) return;
    seen.add(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
      if (HAS_LETTER.test(e.text)) report(e, why);
    } else if (ts.isTemplateExpression(e)) {
      if ([e.head, ...e.templateSpans.map((s) => s.literal)].some((p) => HAS_LETTER.test(p.text))) report(e, why);
      for (const span of e.templateSpans) check(span.expression, why, seen);
    } else if (ts.isConditionalExpression(e)) {
      check(e.whenTrue, why, seen);
      check(e.whenFalse, why, seen);
    } else if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (
        op === ts.SyntaxKind.PlusToken ||
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken
      ) {
        check(e.left, why, seen);
        check(e.right, why, seen);
      }
    } else if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) {
      check(e.expression, why, seen);
    } else if (ts.isIdentifier(e)) {
      check(constInitializer(e), why, seen);
    }
    // A call (l10n.t or anything else), a property, an object: not followed.
  };

  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node)) {
      const cls = nameOf(node.expression) ?? '';
      if (/Error$/.test(cls)) {
        check(node.arguments?.[KIND_FIRST.has(cls) ? 1 : 0], `message of new ${cls}(...)`);
      } else if (cls === 'TreeItem') {
        check(node.arguments?.[0], 'tree item label');
      }
    } else if (ts.isCallExpression(node)) {
      const callee = nameOf(node.expression) ?? '';
      if (/^show(Information|Warning|Error)Message$/.test(callee)) {
        for (const a of node.arguments) check(a, `argument of ${callee}(...)`);
      }
      const pushTo = ts.isPropertyAccessExpression(node.expression) ? nameOf(node.expression.expression) : undefined;
      if (callee === 'push' && pushTo === 'problems') {
        for (const a of node.arguments) check(a, 'a problem shown to the person');
      }
      // `(m, ...a) => vscode.l10n.t(m, ...a)` (the translator activate() sets) forwards messages; it holds none.
      if (isL10nCall(node) && !collector!.isForwarder(node)) {
        const first = node.arguments[0];
        if (!first || !(ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
          report(node, 'the first argument of l10n.t must be a string literal');
        } else {
          const needed = Math.max(-1, ...[...first.text.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]))) + 1;
          if (node.arguments.length - 1 < needed) {
            report(node, `l10n.t needs ${needed} argument(s) for its placeholders`);
          }
        }
        let inFunction = false;
        for (let p: ts.Node | undefined = node.parent; p && !inFunction; p = p.parent) inFunction = isFunctionLike(p);
        if (!inFunction) report(node, 'l10n.t at module load runs before activate() sets the translator');
      }
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      USER_FACING_PROPS.has(node.left.name.text)
    ) {
      check(node.right, `property ${node.left.name.text}`);
    } else if (ts.isPropertyAssignment(node)) {
      const name = ts.isIdentifier(node.name) || ts.isStringLiteral(node.name) ? node.name.text : '';
      if (USER_FACING_PROPS.has(name)) check(node.initializer, `property ${name}`);
      if (
        name === 'validateInput' &&
        (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))
      ) {
        for (const r of returnsOf(node.initializer)) check(r, 'validateInput result');
      }
    }
    if (isFunctionLike(node) && markedUserFacing(node)) {
      for (const r of returnsOf(node)) check(r, 'return of a @userFacing function');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
}

function listFiles(p: string): string[] {
  const abs = path.join(root, p);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return /\.ts$/.test(p) ? [p] : [];
  return fs.readdirSync(abs).flatMap((name) => listFiles(`${p}/${name}`));
}

describe('Strings ready for translation (l10n)', () => {
  before(loadCollector);
  describe('the scanner (positive control)', () => {
    const flagged = (src: string): string[] => scan('control.ts', src).map((f) => f.text);

    it('flags a literal error message, and not the same message wrapped in l10n.t', () => {
      assert.deepEqual(flagged(`function f() { throw new ZoomError('auth', 'Zoom rejected the token.'); }`), [
        `'Zoom rejected the token.'`,
      ]);
      assert.deepEqual(
        flagged(`function f() { throw new ZoomError('auth', l10n.t('Zoom rejected the token.')); }`),
        [],
      );
      assert.deepEqual(flagged('function f(s: number) { return new Error(`HTTP ${s} failed`); }'), [
        '`HTTP ${s} failed`',
      ]);
      assert.deepEqual(flagged(`function f(s: number) { return new Error(l10n.t('HTTP {0} failed', s)); }`), []);
    });

    it('flags notifications, their buttons, progress titles, quick pick items, tree items and input boxes', () => {
      const src = `
        async function f() {
          await vscode.window.showErrorMessage(message, 'Try Again');
          await vscode.window.showInformationMessage('Signed in.');
          await vscode.window.withProgress({ location: 1, title: 'Checking…' }, async () => undefined);
          const item = { label: \`\${icon} Fix\`, description: vscode.l10n.t('Fine'), detail: ok ? 'Yes' : no };
          const node = new vscode.TreeItem('Load more...');
          pick.placeholder = 'Pick one';
          problems.push(\`Rule #\${i} is ignored.\`);
          await vscode.window.showInputBox({ prompt: 'Client ID', validateInput: (v) => (v ? undefined : 'Enter it.') });
        }`;
      assert.deepEqual(flagged(src), [
        `'Try Again'`,
        `'Signed in.'`,
        `'Checking…'`,
        '`${icon} Fix`',
        `'Yes'`,
        `'Load more...'`,
        `'Pick one'`,
        '`Rule #${i} is ignored.`',
        `'Client ID'`,
        `'Enter it.'`,
      ]);
    });

    it('follows local consts into a message, and the returns of @userFacing functions', () => {
      const src = `
        function f(status: number) {
          const fix = 'Sign in again.';
          const said = status ? \` Zoom said \${status}\` : '';
          throw new ZoomError('auth', \`Refused.\${said} \${fix}\`);
        }
        /** @userFacing */
        function g(min: number) { return min < 1 ? 'less than a minute' : l10n.t('{0} min', min); }
        function h() { return 'not marked'; }`;
      assert.deepEqual(flagged(src), [
        '`Refused.${said} ${fix}`',
        '` Zoom said ${status}`',
        `'Sign in again.'`,
        `'less than a minute'`,
      ]);
    });

    it('leaves codes, punctuation, log lines and // l10n-ignore alone', () => {
      const src = `
        function f() {
          logger.warn('Request failed; retrying.');
          throw new ZoomError('auth', \`\${a} \${b}.\`);
        }
        function g() {
          // l10n-ignore: a code, not a sentence
          throw new Error('E_LOCKED');
        }
        function h() { return new Error('E_GONE'); } // l10n-ignore`;
      assert.deepEqual(flagged(src), []);
    });

    it('flags l10n.t at module load, a non-literal key, and missing placeholder arguments', () => {
      const src = `
        const TITLE = l10n.t('Rate limit');
        function f(key: string, n: number) { return [l10n.t(key), vscode.l10n.t(\`\${n} left\`), l10n.t('{0} of {1}', n)]; }`;
      assert.deepEqual(
        scan('control.ts', src).map((f) => f.why),
        [
          'l10n.t at module load runs before activate() sets the translator',
          'the first argument of l10n.t must be a string literal',
          'the first argument of l10n.t must be a string literal',
          'l10n.t needs 2 argument(s) for its placeholders',
        ],
      );
    });
  });

  describe('the converted sources', () => {
    const files = SCANNED.flatMap(listFiles).filter((f) => !NOT_YET.has(f));

    it('no user-facing literal bypasses l10n', () => {
      assert.ok(files.length >= 35, `only ${files.length} files scanned`);
      const found = files.flatMap((f) => scan(f, fs.readFileSync(path.join(root, f), 'utf8')));
      assert.deepEqual(
        found.map((f) => `${f.file}:${f.line}: ${f.why}: ${f.text}`),
        [],
        'wrap these in l10n.t(...) (plain-Node layers, from src/l10n) or vscode.l10n.t(...), or mark a deliberate exception with // l10n-ignore',
      );
    });

    it('the scan sees the messages it checks (positive control)', () => {
      const calls = files.reduce(
        (n, f) => n + (fs.readFileSync(path.join(root, f), 'utf8').match(/\bl10n\.t\(/g)?.length ?? 0),
        0,
      );
      assert.ok(calls >= 150, `only ${calls} l10n.t calls in the scanned files`);
    });

    it('the plain-Node layers never import vscode for it: they use src/l10n', () => {
      const plain = files.filter((f) => /^src\/(zoom|insights|archive|l10n)\//.test(f));
      const offenders = plain.filter((f) => /from 'vscode'/.test(fs.readFileSync(path.join(root, f), 'utf8')));
      assert.deepEqual(offenders, []);
    });
  });

  describe('l10n.t', () => {
    afterEach(() => setTranslator(undefined));

    it('formats {n} placeholders as vscode.l10n.t does: repeated, out of order, missing ones left as they are', () => {
      assert.equal(
        l10n.t('Zoom answered HTTP {0} with {1}.', 503, 'an error'),
        'Zoom answered HTTP 503 with an error.',
      );
      assert.equal(l10n.t('{1} before {0}, {0} again', 'a', 'b'), 'b before a, a again');
      assert.equal(l10n.t('{0} and {1} and {2}', 'x'), 'x and {1} and {2}');
      assert.equal(l10n.t('no arguments keeps {0} and {name}'), 'no arguments keeps {0} and {name}');
      assert.equal(l10n.t('{0} {1} {2}', 0, false, ''), '0 false ');
      assert.equal(format('{name} is not a number placeholder', ['x']), '{name} is not a number placeholder');
    });

    it('the plain-Node layers go through the translator activate() sets', () => {
      const seen: string[] = [];
      setTranslator((m, ...a) => {
        seen.push(m);
        return `«${format(m, a)}»`;
      });
      assert.equal(
        checkRange('2026-13-01', '2026-11-20', '2026-11-26'),
        '«Start date: «2026-13-01 is not a real calendar date.»»',
      );
      assert.ok(seen.includes('{0} is not a real calendar date.'));
      const err = oauthError(400, { error: 'invalid_client', reason: 'Invalid client_id', code: 4702 });
      assert.match(err.message, /^«Zoom does not know this client ID \(4702\)\. «Run "Zoom: Sign In/);
      setTranslator(undefined);
      assert.equal(
        checkRange('2026-13-01', '2026-11-20', '2026-11-26'),
        'Start date: 2026-13-01 is not a real calendar date.',
      );
    });

    it('activate() sets the translator to vscode.l10n.t', () => {
      const text = fs.readFileSync(path.join(root, 'src/extension.ts'), 'utf8');
      const source = ts.createSourceFile('extension.ts', text, ts.ScriptTarget.Latest, true);
      const activate = source.statements.find(
        (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'activate',
      );
      assert.ok(activate?.body, 'no activate() in src/extension.ts');
      const calls = activate.body.statements
        .filter(ts.isExpressionStatement)
        .map((s) => s.expression.getText(source).replace(/\s+/g, ' '));
      assert.ok(
        calls.some((c) => /^setTranslator\(\(m, \.\.\.a\) => vscode\.l10n\.t\(m, \.\.\.a\)\)$/.test(c)),
        `activate() does not call setTranslator((m, ...a) => vscode.l10n.t(m, ...a)): ${calls.join(' | ')}`,
      );
    });
  });

  describe('l10n/bundle.l10n.json', () => {
    it('holds every l10n.t / vscode.l10n.t string of src/ (run npm run l10n after adding one)', async () => {
      const collector = await loadCollector();
      const { text, count, problems } = collector.bundleFor(root);
      assert.deepEqual(problems, []);
      assert.ok(count >= 150, `only ${count} strings collected`);
      const file = path.join(root, collector.BUNDLE);
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      assert.ok(current === text, `${collector.BUNDLE} is out of date: run npm run l10n`);
      const bundle = JSON.parse(current) as Record<string, string>;
      assert.ok(
        Object.entries(bundle).every(([k, v]) => k === v),
        'the English bundle maps each string to itself',
      );
    });

    it('package.json points VS Code at it and the .vsix ships it', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(manifest.l10n, './l10n');
      assert.equal((manifest.scripts as Record<string, string>).l10n, 'node scripts/l10n.mjs');
      const ignore = fs
        .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
        .split('\n')
        .map((l) => l.trim());
      assert.ok(ignore.includes('!l10n/**'), '.vscodeignore must keep l10n/**');
    });
  });
});
