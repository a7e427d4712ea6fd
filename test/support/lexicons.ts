/**
 * The multilingual lexicon set (`test/fixtures/lexicons/*.tsv`) and what the three recognisers
 * make of it: upset shoppers (the emotion handoff), requests for a person, requests for a
 * language, and ordinary shop messages none of them should fire on. Shared by
 * `test/lexicons.test.ts` (thresholds) and `bench/lexicons.ts` (the table in the set's README).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectHandoffRequest } from '../../src/bot/intents.js';
import { evaluateTriggers } from '../../src/handoff/triggers.js';
import { createLanguageDetector } from '../../src/language/detector.js';

/** The shop's 15 languages, as configured. */
export const SHOP_LANGUAGES = ['en', 'es', 'zh-CN', 'zh-TW', 'de', 'fr', 'ja', 'ko', 'pt-BR', 'ru', 'ar', 'id', 'th', 'vi', 'tr'];

const LEXICON_SET_DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/lexicons');

/** One message of the set: the language it is written in, what it is, and the text. */
export interface LexiconRow {
  language: string;
  /** `upset`, `person`, `lang:<configured tag>` or `neutral`. */
  kind: string;
  text: string;
}

/** Reads every `*.tsv` of the set (columns `language`, `kind`, `text`). */
export function readLexiconSet(dir = LEXICON_SET_DIR): LexiconRow[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()
    .flatMap((file) => {
      const [header, ...lines] = readFileSync(join(dir, file), 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '');
      if (header !== 'language\tkind\ttext') throw new Error(`${file}: the header must be "language<TAB>kind<TAB>text".`);
      return lines.map((line, i) => {
        const [language = '', kind = '', text = '', extra] = line.split('\t');
        if (!language || !kind || !text || extra !== undefined) throw new Error(`${file}:${i + 2}: expected 3 tab-separated columns.`);
        return { language, kind, text };
      });
    });
}

/** Messages a recogniser got right out of those it should have fired on, and the misses. */
export interface Recall {
  n: number;
  hits: number;
  misses: string[];
}

/** What the recognisers made of one language's messages. */
export interface LanguageFigures {
  language: string;
  upset: Recall;
  person: Recall;
  /** Language requests that ended as a `command` detection of the right configured tag. */
  lang: Recall;
  neutral: number;
  /** Neutral messages each recogniser fired on (false positives). */
  falsePositives: { upset: string[]; person: string[]; lang: string[] };
}

const NO_RULES = { keywords: [], vipCustomerRefs: [], vipIdentities: [] };

/** The decision the pipeline makes on a first message: an emotion handoff. */
const isUpset = (text: string): boolean => evaluateTriggers({ text }, NO_RULES)?.reason === 'emotion';

/** Measures every language of the set with the shop's 15 languages configured. */
export function measureLexicons(rows: readonly LexiconRow[]): LanguageFigures[] {
  const detector = createLanguageDetector({ languages: SHOP_LANGUAGES, defaultLanguage: 'en' });
  const asks = (text: string): string | undefined => {
    const detection = detector.detect(text);
    return detection.source === 'command' ? detection.language : undefined;
  };
  const languages = [...new Set(rows.map((r) => r.language))];
  return languages.map((language) => {
    const own = rows.filter((r) => r.language === language);
    const recall = (kind: (r: LexiconRow) => boolean, fires: (r: LexiconRow) => boolean): Recall => {
      const of = own.filter(kind);
      const misses = of.filter((r) => !fires(r)).map((r) => r.text);
      return { n: of.length, hits: of.length - misses.length, misses };
    };
    const neutral = own.filter((r) => r.kind === 'neutral').map((r) => r.text);
    return {
      language,
      upset: recall(
        (r) => r.kind === 'upset',
        (r) => isUpset(r.text),
      ),
      person: recall(
        (r) => r.kind === 'person',
        (r) => detectHandoffRequest(r.text),
      ),
      lang: recall(
        (r) => r.kind.startsWith('lang:'),
        (r) => asks(r.text) === r.kind.slice('lang:'.length),
      ),
      neutral: neutral.length,
      falsePositives: {
        upset: neutral.filter(isUpset),
        person: neutral.filter(detectHandoffRequest),
        lang: neutral.filter((t) => asks(t) !== undefined),
      },
    };
  });
}

const rate = (r: Recall): string => (r.n ? (r.hits / r.n).toFixed(2) : '-');

/** The figures as the markdown table of the set's README. */
export function lexiconTable(figures: readonly LanguageFigures[]): string {
  const lines = [
    '| language | upset recall | person recall | language-request accuracy | neutral: upset FP | neutral: person FP | neutral: language FP | set (upset / person / lang / neutral) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const f of figures) {
    const fp = f.falsePositives;
    lines.push(
      `| ${f.language} | ${rate(f.upset)} | ${rate(f.person)} | ${rate(f.lang)} | ${fp.upset.length} | ${fp.person.length} | ${fp.lang.length} | ${f.upset.n} / ${f.person.n} / ${f.lang.n} / ${f.neutral} |`,
    );
  }
  const total = (pick: (f: LanguageFigures) => number): number => figures.reduce((sum, f) => sum + pick(f), 0);
  const all = (pick: (f: LanguageFigures) => Recall): Recall => ({ n: total((f) => pick(f).n), hits: total((f) => pick(f).hits), misses: [] });
  lines.push(
    `| all | ${rate(all((f) => f.upset))} | ${rate(all((f) => f.person))} | ${rate(all((f) => f.lang))} | ${total((f) => f.falsePositives.upset.length)} | ${total((f) => f.falsePositives.person.length)} | ${total((f) => f.falsePositives.lang.length)} | ${total((f) => f.upset.n)} / ${total((f) => f.person.n)} / ${total((f) => f.lang.n)} / ${total((f) => f.neutral)} |`,
  );
  return lines.join('\n');
}
