/**
 * Checks for values that arrive through `postMessage` (from a page the extension does not trust, or from the
 * extension to the page): both protocols (protocol.ts, overviewProtocol.ts) read messages only through these.
 * Never throw; getters are never called. Bundled into the page scripts too: no `vscode`, no Node modules.
 */

/** Objects made by a literal, JSON or structured clone (or with a null prototype), and nothing else. */
export function plainObject(value: unknown): object | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return undefined;
  // `JSON.parse('{"__proto__": ...}')` makes an own property that merging code could turn into pollution.
  if (Object.prototype.hasOwnProperty.call(value, '__proto__')) return undefined;
  return value;
}

/** An own data property's value; undefined for accessors and missing keys. */
export function ownValue(obj: object, key: string): unknown {
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? (d.value as unknown) : undefined;
}

/** An own data property holding a string of at most `maxLength` UTF-16 code units. */
export function ownString(obj: object, key: string, maxLength: number): string | undefined {
  const v = ownValue(obj, key);
  return typeof v === 'string' && v.length <= maxLength ? v : undefined;
}

/** An own data property holding a finite number that is not negative. */
export function ownCount(obj: object, key: string): number | undefined {
  const v = ownValue(obj, key);
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Each element of an array of at most `maxItems` through `item`; undefined when any fails or it is too long. */
export function listOf<T>(value: unknown, maxItems: number, item: (v: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > maxItems) return undefined;
  const out: T[] = [];
  for (const v of value as unknown[]) {
    const x = item(v);
    if (x === undefined) return undefined;
    out.push(x);
  }
  return out;
}
