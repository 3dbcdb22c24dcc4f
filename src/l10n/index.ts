/**
 * Translation for the plain-Node layers (src/zoom, src/model, src/export, src/insights, src/archive), which must not
 * import `vscode` but whose messages reach people (ZoomError messages become tree message nodes and notifications).
 *
 * The contract is vscode.l10n.t's: the English source string is the key, `{0}`, `{1}`... are replaced by the
 * arguments (a placeholder without an argument stays as it is). `activate()` sets the translator to vscode.l10n.t;
 * without one (unit tests, benchmarks) the English string is formatted here. Because calls are spelled `l10n.t(...)`,
 * `npm run l10n` (and Microsoft's `@vscode/l10n-dev export`) finds these strings as it finds `vscode.l10n.t(...)`.
 *
 * Call `l10n.t` when the message is made, never at module load: a module-level constant would be evaluated before
 * `activate()` sets the translator and stay English (test/unit/l10n.test.ts flags such calls).
 */
export type L10nArg = string | number | boolean;
export type Translator = (message: string, ...args: L10nArg[]) => string;

/** `{0}`-style formatting as vscode.l10n.t does it: `{n}` with no argument n is left as it is. */
export function format(message: string, args: readonly L10nArg[]): string {
  if (args.length === 0) return message;
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined || value === null ? match : String(value);
  });
}

/**
 * Where the translator lives: a global slot, not a module variable, because dist/insights.js and dist/archive.js
 * carry their own copy of this module, and their messages must be translated by the translator activate() set.
 */
const SLOT = Symbol.for('zoom-operation-logs.l10n.translator');
const holder = globalThis as { [SLOT]?: Translator };

/** Routes every `l10n.t` through `fn` (vscode.l10n.t in the extension); `undefined` goes back to English. */
export function setTranslator(fn: Translator | undefined): void {
  holder[SLOT] = fn;
}

export const l10n = {
  t(message: string, ...args: L10nArg[]): string {
    const translator = holder[SLOT];
    return translator ? translator(message, ...args) : format(message, args);
  },
};
