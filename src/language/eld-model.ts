/**
 * A compact, in-memory copy of eld's largest n-gram database.
 *
 * Why not `import('eld/large')`: importing that module costs ~390 MB RSS (V8 keeps a 245k-key
 * object literal plus its parse artefacts), twice Parley's 200 MB budget for detection. The same
 * table held in four typed arrays takes ~5 MB, outside the JavaScript heap (a `Map` of its
 * 245k string keys took 15 MB of heap that every major GC marks, and that the heap's growth
 * between GCs multiplies), and scoring with it (see `eld-scorer.ts`) gives the same answers as
 * eld itself (tested).
 *
 * The database file is eld's own (`eld/src/ngrams/large.js`, Apache-2.0, Nito T.M.); it is read
 * as text and scanned, never evaluated. The scanner knows its literal shape:
 * `{type:'L60',languages:{0:'am',...},isSubset:...,ngrams:{'key':{lang:score,...},...}}`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** eld's table: each n-gram maps to a run of (language index, score) pairs. */
export interface EldModel {
  /** eld language codes by eld index, e.g. `['am', 'ar', ...]`. */
  readonly languages: readonly string[];
  /** The n-gram's `start * 64 + count` into `langs`/`scores`, or -1 when eld does not know it. */
  entry(ngram: string): number;
  /** How many n-grams the table holds. */
  readonly size: number;
  readonly langs: Uint8Array;
  readonly scores: Int16Array;
  /** eld's byte -> character dictionary used to spell n-grams. */
  readonly dictionary: readonly string[];
}

const RUN_BITS = 64;
let cached: EldModel | undefined;

/** Loads (once per process) eld's large database from the installed `eld` package. */
export function loadEldModel(): EldModel {
  cached ??= parseEldModel(readEldFile('ngrams/large.js'), readEldFile('dictionary.js'));
  return cached;
}

/** Index run of an n-gram entry. */
export function runOf(entry: number): { start: number; count: number } {
  return { start: Math.floor(entry / RUN_BITS), count: entry % RUN_BITS };
}

function readEldFile(relative: string): string {
  const root = findEldRoot();
  return readFileSync(join(root, 'src', relative), 'utf8');
}

function findEldRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', 'eld');
    if (existsSync(join(candidate, 'src', 'ngrams', 'large.js'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error('Language detection needs the `eld` package (node_modules/eld/src/ngrams/large.js not found). Run `npm install`.');
    }
    dir = parent;
  }
}

/** Parses the two eld source files; exported for tests. */
function parseEldModel(databaseSource: string, dictionarySource: string): EldModel {
  const scan = new Scanner(databaseSource);
  const languages = parseLanguages(scan);
  scan.seek('ngrams:{');
  const keys: number[] = [];
  const entries: number[] = [];
  const langs: number[] = [];
  const scores: number[] = [];
  while (scan.peek() !== '}') {
    // Keys that are valid identifiers or numbers are written unquoted.
    const key = scan.peek() === "'" ? scan.quoted() : scan.until(':');
    scan.expect(':{');
    const start = langs.length;
    while (scan.peek() !== '}') {
      langs.push(scan.integer());
      scan.expect(':');
      scores.push(scan.integer());
      scan.skip(',');
    }
    scan.expect('}');
    scan.skip(',');
    const packed = packKey(key);
    if (packed < 0) throw unexpectedFormat(`n-gram "${key}" is not 1-6 dictionary characters`);
    keys.push(packed);
    entries.push(start * RUN_BITS + (langs.length - start));
  }
  if (keys.length === 0) throw unexpectedFormat('no n-grams found');
  const table = sortedTable(keys, entries);
  return {
    languages,
    entry: (ngram) => lookup(table, ngram),
    size: table.keys.length,
    langs: Uint8Array.from(langs),
    scores: Int16Array.from(scores),
    dictionary: parseDictionary(dictionarySource),
  };
}

/**
 * An n-gram as one number: eld spells every byte as one character of code 1..255 and an n-gram
 * has at most 6 of them, so base 256 (first character highest) fits in 48 bits, exactly, and
 * no two n-grams share a number. -1 for a string that is no such n-gram.
 */
function packKey(ngram: string): number {
  if (ngram.length === 0 || ngram.length > 6) return -1;
  let key = 0;
  for (let i = 0; i < ngram.length; i++) {
    const code = ngram.charCodeAt(i);
    if (code === 0 || code > 255) return -1;
    key = key * 256 + code;
  }
  return key;
}

/** The n-grams' numbers in ascending order, with each one's entry at the same index. */
interface SortedTable {
  keys: Float64Array;
  entries: Uint32Array;
}

function sortedTable(keys: readonly number[], entries: readonly number[]): SortedTable {
  const order = Uint32Array.from(keys, (_, i) => i).sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0));
  return { keys: Float64Array.from(order, (i) => keys[i] ?? 0), entries: Uint32Array.from(order, (i) => entries[i] ?? 0) };
}

/** Binary search: 18 steps over eld's 245k n-grams. */
function lookup(table: SortedTable, ngram: string): number {
  const key = packKey(ngram);
  if (key < 0) return -1;
  let lo = 0;
  let hi = table.keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = table.keys[mid] ?? 0;
    if (k < key) lo = mid + 1;
    else if (k > key) hi = mid - 1;
    else return table.entries[mid] ?? -1;
  }
  return -1;
}

function parseLanguages(scan: Scanner): string[] {
  scan.seek('languages:{');
  const languages: string[] = [];
  while (scan.peek() !== '}') {
    const index = scan.integer();
    scan.expect(':');
    languages[index] = scan.quoted();
    scan.skip(',');
  }
  if (languages.length === 0 || languages.length >= RUN_BITS) {
    throw unexpectedFormat(`${languages.length} languages`);
  }
  return languages;
}

function parseDictionary(source: string): string[] {
  const scan = new Scanner(source);
  scan.seek('dictionary = [');
  const entries: string[] = [];
  for (;;) {
    scan.whitespace();
    if (scan.peek() === ']') break;
    entries.push(scan.quoted());
    scan.whitespace();
    scan.skip(',');
  }
  if (entries.length !== 256) throw unexpectedFormat(`dictionary has ${entries.length} entries`);
  return entries;
}

function unexpectedFormat(what: string): Error {
  return new Error(`eld's n-gram database has an unexpected format (${what}); Parley reads eld 2.x. Pin eld to ^2.1.0.`);
}

/** A forward-only reader over a JS object literal. */
class Scanner {
  private pos = 0;
  constructor(private readonly src: string) {}

  peek(): string {
    return this.src[this.pos] ?? '';
  }

  seek(marker: string): void {
    const at = this.src.indexOf(marker, this.pos);
    if (at < 0) throw unexpectedFormat(`missing ${marker}`);
    this.pos = at + marker.length;
  }

  expect(token: string): void {
    if (!this.src.startsWith(token, this.pos)) {
      throw unexpectedFormat(`expected ${token} at ${this.pos}`);
    }
    this.pos += token.length;
  }

  skip(char: string): void {
    if (this.src[this.pos] === char) this.pos++;
  }

  whitespace(): void {
    while (/\s/.test(this.peek())) this.pos++;
  }

  until(char: string): string {
    const end = this.src.indexOf(char, this.pos);
    if (end <= this.pos) throw unexpectedFormat(`expected a key at ${this.pos}`);
    const token = this.src.slice(this.pos, end);
    this.pos = end;
    return token;
  }

  integer(): number {
    let end = this.pos;
    if (this.src[end] === '-') end++;
    while (end < this.src.length && this.src.charCodeAt(end) >= 48 && this.src.charCodeAt(end) <= 57) end++;
    const value = Number(this.src.slice(this.pos, end));
    if (end === this.pos || Number.isNaN(value)) throw unexpectedFormat(`number at ${this.pos}`);
    this.pos = end;
    return value;
  }

  quoted(): string {
    this.expect("'");
    let out = '';
    for (;;) {
      const ch = this.src[this.pos++];
      if (ch === undefined) throw unexpectedFormat('unterminated string');
      if (ch === "'") return out;
      out += ch === '\\' ? (this.src[this.pos++] ?? '') : ch;
    }
  }
}
