/**
 * A map from strings to values for the rule engine's memo (results by detail), keyed by the string and a hash the
 * caller computes with `hashText`. Plain Node.
 *
 * Why not a Map: the memo holds tens of thousands of details, each the string of some earlier entry somewhere in
 * the heap. A Map looking up a detail it does not hold compares the details in its bucket, reading each of those
 * strings (a cache miss apiece); this table keeps the hashes side by side in one typed array and reads a stored
 * string only when its hash is equal, which for a detail not held almost never happens.
 */
export class StringTable<V> {
  private hashes: Int32Array;
  private keys: (string | undefined)[];
  private values: (V | undefined)[];
  private mask: number;
  private count = 0;

  constructor(private readonly initialBits = 8) {
    this.hashes = new Int32Array(1 << initialBits);
    this.keys = new Array<string | undefined>(1 << initialBits).fill(undefined);
    this.values = new Array<V | undefined>(1 << initialBits).fill(undefined);
    this.mask = (1 << initialBits) - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The value for `key`, whose `hashText` is `hash`. */
  get(key: string, hash: number): V | undefined {
    // Probes read the hashes only (a free slot holds 0, which hashText never returns): a stored string is read
    // when its hash is equal.
    const hashes = this.hashes;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const h = hashes[i];
      if (h === 0) return undefined;
      if (h === hash && this.keys[i] === key) return this.values[i];
    }
  }

  /** Sets the value for `key` (not held yet: the caller looked it up first). */
  add(key: string, hash: number, value: V): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    let i = hash & this.mask;
    while (this.hashes[i] !== 0) i = (i + 1) & this.mask;
    this.hashes[i] = hash;
    this.keys[i] = key;
    this.values[i] = value;
    this.count++;
  }

  clear(): void {
    if (this.count === 0) return;
    const size = 1 << this.initialBits;
    this.hashes = new Int32Array(size);
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<V | undefined>(size).fill(undefined);
    this.mask = size - 1;
    this.count = 0;
  }

  private grow(): void {
    const { hashes, keys, values } = this;
    const size = keys.length * 2;
    this.hashes = new Int32Array(size);
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<V | undefined>(size).fill(undefined);
    this.mask = size - 1;
    for (let j = 0; j < keys.length; j++) {
      if (hashes[j] === 0) continue;
      let i = hashes[j] & this.mask;
      while (this.hashes[i] !== 0) i = (i + 1) & this.mask;
      this.hashes[i] = hashes[j];
      this.keys[i] = keys[j];
      this.values[i] = values[j];
    }
  }
}

/**
 * A 32-bit hash of every character of `s`, never 0 (FNV-1a in two interleaved lanes, so the multiplications overlap).
 */
export function hashText(s: string): number {
  let a = 0x811c9dc5 | 0;
  let b = 0x01000193 ^ s.length;
  const n = s.length - 1;
  let i = 0;
  for (; i < n; i += 2) {
    a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
    b = Math.imul(b ^ s.charCodeAt(i + 1), 0x01000193);
  }
  if (i === n) a = Math.imul(a ^ s.charCodeAt(i), 0x01000193);
  return Math.imul(a ^ (b >>> 15), 0x85ebca6b) ^ b || 1;
}
