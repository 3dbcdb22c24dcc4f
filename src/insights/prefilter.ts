/**
 * The words a regular expression cannot match without, so the rule engine can skip an entry (and the parsing
 * of its detail) when its detail holds none of the words any of its rules needs. Plain Node.
 *
 * `requiredWords(/two[- ]?factor|\b2fa\b/i)` is `['factor', '2fa']`: every string the pattern matches contains
 * one of them (case-insensitively). Words hold no blank and no `>`: a rule's `setting` pattern runs on the change's
 * path joined with ` > ` (`Security > Sign in with...`) whose parts are pieces of the raw detail, except that a
 * section read from a verb and a noun (`Update a Channel` -> `Update Channel`) drops the article in between, so
 * only runs without blanks are certain to appear in the raw detail as well.
 * When the pattern's shape is not understood the answer is `undefined` (no words known: never skip).
 */

/** Words that start most details (verbs, nouns): a rule's other words are kept in preference, as they skip more. */
const COMMON = [
  'batch',
  'update',
  'edit',
  'delete',
  'remove',
  'assign',
  'create',
  'change',
  'users',
  'group',
  'account',
];
COMMON.push('settings', 'meetings', 'from', 'admin', 'recording');
const isCommon = (w: string): boolean => w.length < 3 || COMMON.some((c) => c.includes(w));

function isWordChar(c: string): boolean {
  // ASCII letters, digits and the punctuation that is literal outside a class; not blanks, `>` or metacharacters.
  return /^[A-Za-z0-9\-_:;,'"/@#%&=~!<`]$/.test(c);
}

/** A list of words, one of which every match contains; `undefined` when there is no such list. */
type Need = string[] | undefined;

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  /** Set when the pattern uses a syntax this reader does not follow: then nothing is certain. */
  lost = false;

  /** Alternatives up to `)` or the end. */
  alternatives(): Need {
    const all: string[] = [];
    let known = true;
    for (;;) {
      const need = this.sequence();
      if (need === undefined) known = false;
      else all.push(...need);
      if (this.s[this.i] !== '|') break;
      this.i++;
    }
    return known && !this.lost ? [...new Set(all)] : undefined;
  }

  /**
   * The quantifier at the current position, consumed: 0 when the atom before it is optional, 1 when it occurs
   * exactly once (none, or `{1}`), 2 when it is required but repeated (so the text after it is not adjacent).
   */
  private quantifier(): 0 | 1 | 2 {
    const c = this.s[this.i];
    let q: 0 | 1 | 2;
    if (c === '?' || c === '*') q = 0;
    else if (c === '+') q = 2;
    else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.s.slice(this.i, this.i + 24));
      if (!m) return 1; // not a quantifier: the next atom is `{`, which the reader does not follow
      const min = Number(m[1]);
      q = min === 0 ? 0 : min === 1 && m[2] === undefined ? 1 : 2;
      this.i += m[0].length - 1;
    } else return 1;
    this.i++;
    if (this.s[this.i] === '?') this.i++; // lazy
    return q;
  }

  /** One alternative: the best of the words or groups it requires, or undefined when it requires none. */
  private sequence(): Need {
    const items: string[][] = [];
    let run = '';
    const endRun = (): void => {
      if (run) items.push([run.toLowerCase()]);
      run = '';
    };
    while (this.i < this.s.length && !this.lost) {
      const c = this.s[this.i];
      if (c === '|' || c === ')') break;
      if (c === '(') {
        endRun();
        this.i++;
        let look = false;
        if (this.s[this.i] === '?') {
          const rest = this.s.slice(this.i, this.i + 3);
          if (rest.startsWith('?:')) this.i += 2;
          else if (rest.startsWith('?=') || rest.startsWith('?!')) {
            look = true;
            this.i += 2;
          } else if (rest === '?<=' || rest === '?<!') {
            look = true;
            this.i += 3;
          } else if (rest.startsWith('?<')) {
            const close = this.s.indexOf('>', this.i);
            if (close < 0) return this.lose();
            this.i = close + 1;
          } else return this.lose();
        }
        const inner = this.alternatives();
        if (this.s[this.i] !== ')') return this.lose();
        this.i++;
        const min = this.quantifier();
        if (!look && min !== 0 && inner !== undefined) items.push(inner);
        continue;
      }
      if (c === '[') {
        endRun();
        this.i++;
        if (this.s[this.i] === '^') this.i++;
        // The first `]` not escaped closes the class (`[]` and `[^]` close at once).
        while (this.i < this.s.length && this.s[this.i] !== ']') this.i += this.s[this.i] === '\\' ? 2 : 1;
        if (this.s[this.i] !== ']') return this.lose();
        this.i++;
        this.quantifier();
        continue;
      }
      let literal: string | undefined;
      if (c === '\\') {
        const e = this.s[this.i + 1] ?? '';
        if (/^[bBdDwWsSnrtfv]$/.test(e)) this.i += 2;
        else if (/^[.\-/()[\]*+?{}|^$\\:,'"]$/.test(e)) {
          this.i += 2;
          literal = e;
        } else return this.lose(); // \x, \u, \c, \p, \k, back references, octal...: not followed here
      } else {
        this.i++;
        if (isWordChar(c)) literal = c;
        else if (c === '{' || c === '}' || c === ']') return this.lose();
        // `.`, `^`, `$`, blanks, `>`, non-ASCII characters: break the run
      }
      const min = this.quantifier();
      if (literal === undefined || min === 0) endRun();
      else if (min === 1) run += literal;
      else {
        run += literal;
        endRun();
      }
    }
    endRun();
    if (this.lost || items.length === 0) return undefined;
    // The best item: its shortest word the longest (common words count as short), then fewer words.
    const score = (words: string[]): number =>
      Math.min(...words.map((w) => (isCommon(w) ? 0 : 100) + Math.min(w.length, 40)));
    let best = items[0];
    for (const it of items) {
      if (score(it) > score(best) || (score(it) === score(best) && it.length < best.length)) best = it;
    }
    return best;
  }

  private lose(): undefined {
    this.lost = true;
    return undefined;
  }
}

/**
 * Lowercase words, one of which every string `re` matches contains (ASCII case-insensitively); `undefined`
 * when that cannot be told (a pattern that can match without any word, unicode mode, syntax not followed).
 */
export function requiredWords(re: RegExp): string[] | undefined {
  if (/[uv]/.test(re.flags)) return undefined; // case folding of `s`/`k` differs in unicode mode
  const r = new Reader(re.source);
  const need = r.alternatives();
  if (need === undefined || r.lost || r.i !== re.source.length || need.length === 0) return undefined;
  return need.some((w) => w === '') ? undefined : need;
}

/**
 * One case-insensitive pattern that finds any of the words. `k` also matches the Kelvin sign (U+212A): the
 * parser reads verbs through a lowercase copy, where the Kelvin sign becomes `k` (`LINK User` -> `Link User`).
 */
export function anyWordRegExp(words: readonly string[]): RegExp {
  const source = fewestWords(words)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&').replace(/k/g, '[k\\u212a]'))
    .join('|');
  return new RegExp(source, 'i');
}

/**
 * The words (lowercase, each once) without those that hold another word of the list: the shorter one finds them
 * too. Shortest first.
 */
function fewestWords(words: readonly string[]): string[] {
  const sorted = [...new Set(words.map((w) => w.toLowerCase()))].sort((a, b) => a.length - b.length);
  const kept: string[] = [];
  for (const w of sorted) if (!kept.some((k) => w.includes(k))) kept.push(w);
  return kept;
}

/** ASCII lowercase by character code; 0 for the codes no word holds. */
const FOLD = new Uint8Array(128);
for (let c = 1; c < 128; c++) FOLD[c] = c >= 65 && c <= 90 ? c + 32 : c;
const KELVIN = 0x212a;

/** A character code as words are spelt (lowercase ASCII; the Kelvin sign is `k`), or 0 when no word holds it. */
function fold(c: number): number {
  return c < 128 ? FOLD[c] : c === KELVIN ? 107 : 0;
}

/** The bucket of three folded characters (5 bits each: different characters may share a bucket). */
const tri = (a: number, b: number, c: number): number => ((a & 31) << 10) | ((b & 31) << 5) | (c & 31);

/**
 * `anyWordRegExp(words).test(s)` without a regular expression: one pass over `s` that looks up every three
 * characters in a table of the words' first three, and compares a word only where its first three may start.
 * Same answers (ASCII case-insensitive, the Kelvin sign as `k`); about a fifth quicker than the regular expression
 * on the bench's details, which are short and mostly hold no word.
 */
export class WordFinder {
  /** Per bucket of three characters, the words that start with characters of that bucket. */
  private readonly starts: (string[] | undefined)[] = [];
  private readonly hasStart = new Uint8Array(1 << 15);
  /** Words shorter than three characters, found by a regular expression. */
  private readonly short?: RegExp;

  constructor(words: readonly string[]) {
    const kept = fewestWords(words);
    const short = kept.filter((w) => w.length < 3);
    if (short.length) this.short = anyWordRegExp(short);
    for (const w of kept) {
      if (w.length < 3) continue;
      const key = tri(w.charCodeAt(0), w.charCodeAt(1), w.charCodeAt(2));
      (this.starts[key] ??= []).push(w);
      this.hasStart[key] = 1;
    }
  }

  /** Whether `s` holds one of the words. */
  test(s: string): boolean {
    if (this.short?.test(s)) return true;
    const n = s.length;
    if (n < 3) return false;
    const has = this.hasStart;
    let a = fold(s.charCodeAt(0));
    let b = fold(s.charCodeAt(1));
    for (let i = 2; i < n; i++) {
      const f = fold(s.charCodeAt(i));
      const key = tri(a, b, f);
      if (has[key] === 1 && this.at(s, i - 2, key)) return true;
      a = b;
      b = f;
    }
    return false;
  }

  /** Whether one of the words of bucket `key` starts at `pos`. */
  private at(s: string, pos: number, key: number): boolean {
    const list = this.starts[key]!;
    for (let k = 0; k < list.length; k++) {
      const w = list[k];
      if (pos + w.length > s.length) continue;
      let j = 0;
      while (j < w.length && fold(s.charCodeAt(pos + j)) === w.charCodeAt(j)) j++;
      if (j === w.length) return true;
    }
    return false;
  }
}
