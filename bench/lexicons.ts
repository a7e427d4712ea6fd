/**
 * The three message recognisers (upset shopper, request for a person, request for a language)
 * on the multilingual set in `test/fixtures/lexicons/`, per language, as a markdown table.
 *
 *   node --import tsx bench/lexicons.ts [--misses]
 *
 * `--misses` also lists every message a recogniser missed or wrongly fired on.
 */
import { lexiconTable, measureLexicons, readLexiconSet } from '../test/support/lexicons.js';

const figures = measureLexicons(readLexiconSet());
console.log(lexiconTable(figures));
if (process.argv.includes('--misses')) {
  for (const f of figures) {
    const lines = [
      ...f.upset.misses.map((t) => `upset missed\t${t}`),
      ...f.person.misses.map((t) => `person missed\t${t}`),
      ...f.lang.misses.map((t) => `lang missed\t${t}`),
      ...f.falsePositives.upset.map((t) => `neutral -> upset\t${t}`),
      ...f.falsePositives.person.map((t) => `neutral -> person\t${t}`),
      ...f.falsePositives.lang.map((t) => `neutral -> lang\t${t}`),
    ];
    for (const line of lines) console.log(`${f.language}\t${line}`);
  }
}
