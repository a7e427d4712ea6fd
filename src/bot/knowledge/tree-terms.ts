/**
 * Prefix and fuzzy term lookups that find what `SearchableMap.atPrefix` and `fuzzyGet` find,
 * in the same order (which decides how MiniSearch's scores add up, to the last bit), at a
 * fraction of their cost on a shop's vocabulary. A prefix is a binary search in the sorted
 * terms, where `atPrefix` builds a view and an iterator over the subtree. A fuzzy lookup tests
 * the terms of about the right length on two integers (their letters as bits) and computes a
 * distance for the few left, where the radix-tree walk visits every node a short prefix allows.
 */

/** A radix tree's terms and their values, in the order its walks meet them. */
export class TreeTerms<T> {
  /** Depth first, the order of `fuzzyGet`'s walk. */
  readonly #terms: string[] = [];
  readonly #values: T[] = [];
  readonly #masks: number[] = [];
  /** Term positions in code-unit order of the terms. */
  readonly #sorted: number[];
  /** Term positions by term length (UTF-16 units), ascending. */
  readonly #byLength: number[][] = [];
  #rows = new Int32Array(0);

  /**
   * `entries` in the map's iteration order: `SearchableMap`'s iterator takes each node's keys
   * last first, the exact reverse of the depth-first walk of its fuzzy search.
   */
  constructor(entries: Iterable<[string, T]>) {
    for (const [term, value] of entries) {
      this.#terms.push(term);
      this.#values.push(value);
      this.#masks.push(maskOf(term));
    }
    this.#terms.reverse();
    this.#values.reverse();
    this.#masks.reverse();
    this.#terms.forEach((term, i) => (this.#byLength[term.length] ??= []).push(i));
    this.#sorted = Array.from(this.#terms.keys()).sort((a, b) => compare(this.#terms[a] as string, this.#terms[b] as string));
  }

  /**
   * Calls `visit` with each term that starts with `prefix` (itself included) and its value, in
   * the order `atPrefix`'s iterator gives them: a subtree is a run of the depth-first order,
   * which the iterator takes last first.
   */
  forEachPrefixed(prefix: string, visit: (term: string, value: T) => void): void {
    let [lo, hi] = [0, this.#sorted.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.#terms[this.#sorted[mid] as number] as string, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    const found: number[] = [];
    for (let k = lo; k < this.#sorted.length; k += 1) {
      const i = this.#sorted[k] as number;
      if (!(this.#terms[i] as string).startsWith(prefix)) break;
      found.push(i);
    }
    found.sort((a, b) => b - a);
    for (const i of found) visit(this.#terms[i] as string, this.#values[i] as T);
  }

  /**
   * Calls `visit` with each term within `maxDistance` edits of `query`, its value and its
   * distance, in `fuzzyGet`'s order.
   *
   * @example
   * ```ts
   * new TreeTerms([['germani', 1]]).forEachWithin('germny', 1, (term, value, distance) => …); // 'germani', 1, 1
   * ```
   */
  forEachWithin(query: string, maxDistance: number, visit: (term: string, value: T, distance: number) => void): void {
    const mask = maskOf(query);
    const found: [number, number][] = [];
    for (let length = Math.max(0, query.length - maxDistance); length <= query.length + maxDistance; length += 1) {
      for (const i of this.#byLength[length] ?? []) {
        // A letter of one that the other lacks costs an edit: as many edits as letters (bits) missing.
        const m = this.#masks[i] as number;
        if (bits(m & ~mask) > maxDistance || bits(mask & ~m) > maxDistance) continue;
        const distance = this.#distance(query, this.#terms[i] as string, maxDistance);
        if (distance <= maxDistance) found.push([i, distance]);
      }
    }
    found.sort((a, b) => a[0] - b[0]);
    for (const [i, distance] of found) visit(this.#terms[i] as string, this.#values[i] as T, distance);
  }

  /** Levenshtein distance, or `maxDistance + 1` as soon as it must exceed it. */
  #distance(a: string, b: string, maxDistance: number): number {
    const width = b.length + 1;
    if (this.#rows.length < 2 * width) this.#rows = new Int32Array(2 * width);
    const rows = this.#rows;
    let previous = 0;
    let current = width;
    for (let j = 0; j < width; j += 1) rows[j] = j;
    for (let i = 1; i <= a.length; i += 1) {
      rows[current] = i;
      let least = i;
      const char = a.charCodeAt(i - 1);
      for (let j = 1; j < width; j += 1) {
        const replace = (rows[previous + j - 1] as number) + (char === b.charCodeAt(j - 1) ? 0 : 1);
        const value = Math.min(replace, (rows[previous + j] as number) + 1, (rows[current + j - 1] as number) + 1);
        rows[current + j] = value;
        if (value < least) least = value;
      }
      if (least > maxDistance) return maxDistance + 1;
      const swap = previous;
      previous = current;
      current = swap;
    }
    return rows[previous + width - 1] as number;
  }
}

/** Code-unit order, as `<` compares strings (`localeCompare` would not). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The letters of a term as bits (UTF-16 unit modulo 32: a–z get a bit each). */
function maskOf(term: string): number {
  let mask = 0;
  for (let i = 0; i < term.length; i += 1) mask |= 1 << (term.charCodeAt(i) & 31);
  return mask;
}

function bits(n: number): number {
  let v = n - ((n >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
