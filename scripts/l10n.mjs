#!/usr/bin/env node
// `npm run l10n`: writes l10n/bundle.l10n.json, the English bundle VS Code loads for `"l10n": "./l10n"` in
// package.json (English source -> English; a translation is one more bundle.l10n.<locale>.json with the same keys).
// It collects the first argument of every `l10n.t(...)` (src/l10n, for the plain-Node layers) and
// `vscode.l10n.t(...)` call under src/ with the TypeScript compiler API (syntax only: fast, no type check).
// test/unit/l10n.test.ts fails when the bundle is not what this script would write.
//
//   node scripts/l10n.mjs          write the bundle
//   node scripts/l10n.mjs --check  exit 1 when the bundle is out of date
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const BUNDLE = 'l10n/bundle.l10n.json';

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return listFiles(p);
    return /\.tsx?$/.test(d.name) && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** True for `l10n.t(...)` and `vscode.l10n.t(...)`. */
export function isL10nCall(node) {
  if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return false;
  const callee = node.expression;
  if (callee.name.text !== 't') return false;
  const owner = callee.expression;
  if (ts.isIdentifier(owner)) return owner.text === 'l10n';
  return (
    ts.isPropertyAccessExpression(owner) &&
    owner.name.text === 'l10n' &&
    ts.isIdentifier(owner.expression) &&
    owner.expression.text === 'vscode'
  );
}

/** `vscode.l10n.t(m, ...args)`: a call that passes on a message and its arguments. */
export function isForwarder(call) {
  return ts.isIdentifier(call.arguments[0] ?? call) && call.arguments.some((a) => ts.isSpreadElement(a));
}

/** Every message of one source text, with the calls whose first argument is not a plain literal. */
export function messagesOf(fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const messages = [];
  const problems = [];
  const visit = (node) => {
    // `(m, ...a) => vscode.l10n.t(m, ...a)` (the translator activate() sets) forwards messages; it holds none.
    if (isL10nCall(node) && !isForwarder(node)) {
      const first = node.arguments[0];
      if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.push(first.text);
      else {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        problems.push(`${fileName}:${line + 1}: the first argument of l10n.t must be a string literal`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { messages, problems };
}

/** The bundle's text for the sources under `root`/src: sorted keys, English -> English, Prettier's JSON layout. */
export function bundleFor(root) {
  const all = new Set();
  const problems = [];
  for (const file of listFiles(path.join(root, 'src')).sort()) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const r = messagesOf(rel, fs.readFileSync(file, 'utf8'));
    r.messages.forEach((m) => all.add(m));
    problems.push(...r.problems);
  }
  const bundle = Object.fromEntries([...all].sort().map((m) => [m, m]));
  return { text: `${JSON.stringify(bundle, null, 2)}\n`, count: all.size, problems };
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { text, count, problems } = bundleFor(root);
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exitCode = 1;
    return;
  }
  const file = path.join(root, BUNDLE);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (process.argv.includes('--check')) {
    if (current !== text) {
      console.error(`${BUNDLE} is out of date: run npm run l10n`);
      process.exitCode = 1;
    } else console.log(`${BUNDLE} is up to date (${count} strings)`);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (current !== text) fs.writeFileSync(file, text);
  console.log(`${BUNDLE}: ${count} strings${current === text ? ' (unchanged)' : ''}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
