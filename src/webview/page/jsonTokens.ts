/**
 * A forgiving, linear-time JSON tokenizer for syntax colouring. Concatenating the tokens'
 * `text` always gives back the input exactly, valid JSON or not; anything that is not a
 * token (whitespace, stray characters) comes out as `text`.
 */

export type JsonTokenKind = 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punct' | 'text';

export interface JsonToken {
  readonly kind: JsonTokenKind;
  readonly text: string;
}

const PUNCTUATION = new Set(['{', '}', '[', ']', ':', ',']);
const NUMBER_START = /[-0-9]/;
const NUMBER_PART = /[-+.0-9eE]/;
const WHITESPACE = /[ \t\r\n]/;
const LITERALS: readonly { readonly text: string; readonly kind: JsonTokenKind }[] = [
  { text: 'true', kind: 'boolean' },
  { text: 'false', kind: 'boolean' },
  { text: 'null', kind: 'null' },
];

export function tokenizeJson(source: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  let pos = 0;
  while (pos < source.length) {
    const start = pos;
    const ch = source[pos];
    let kind: JsonTokenKind;
    if (ch === '"') {
      pos = endOfString(source, pos);
      kind = isFollowedByColon(source, pos) ? 'key' : 'string';
    } else if (PUNCTUATION.has(ch)) {
      pos++;
      kind = 'punct';
    } else if (NUMBER_START.test(ch)) {
      pos++;
      while (pos < source.length && NUMBER_PART.test(source[pos])) pos++;
      kind = 'number';
    } else {
      const literal = literalAt(source, pos);
      if (literal) {
        pos += literal.text.length;
        kind = literal.kind;
      } else {
        pos = endOfText(source, pos);
        kind = 'text';
      }
    }
    tokens.push({ kind, text: source.slice(start, pos) });
  }
  return tokens;
}

/** The end of the string starting at `start` (a quote): after its closing quote, or at the line's end if unterminated. */
function endOfString(source: string, start: number): number {
  let pos = start + 1;
  while (pos < source.length) {
    const ch = source[pos];
    if (ch === '\\') pos += 2;
    else if (ch === '"') return pos + 1;
    else if (ch === '\n') return pos;
    else pos++;
  }
  return source.length;
}

/** Whether only whitespace separates `pos` from a colon, which makes the string before it a key. */
function isFollowedByColon(source: string, pos: number): boolean {
  while (pos < source.length && WHITESPACE.test(source[pos])) pos++;
  return source[pos] === ':';
}

function literalAt(source: string, pos: number): (typeof LITERALS)[number] | undefined {
  return LITERALS.find((literal) => source.startsWith(literal.text, pos));
}

/** Consumes at least one character, then everything up to where a token could start. */
function endOfText(source: string, start: number): number {
  let pos = start + 1;
  while (pos < source.length && !startsToken(source, pos)) pos++;
  return pos;
}

function startsToken(source: string, pos: number): boolean {
  const ch = source[pos];
  return ch === '"' || PUNCTUATION.has(ch) || NUMBER_START.test(ch) || literalAt(source, pos) !== undefined;
}
