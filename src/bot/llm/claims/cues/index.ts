import { ar } from './ar.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { id } from './id.js';
import { it } from './it.js';
import { ja } from './ja.js';
import { ko } from './ko.js';
import { nl } from './nl.js';
import { pt } from './pt.js';
import { ru } from './ru.js';
import { th } from './th.js';
import { tr } from './tr.js';
import { vi } from './vi.js';
import { zh } from './zh.js';
import type { ClaimCues } from './types.js';

export type { ClaimCues } from './types.js';

/** Cue lists by primary language subtag: the 15 languages Parley serves, and Dutch and Italian. */
const CUES: Readonly<Record<string, ClaimCues>> = { ar, de, en, es, fr, id, it, ja, ko, nl, pt, ru, th, tr, vi, zh };

/** The cues of a language (its primary subtag), English where Parley has none. */
export function cuesFor(language: string): ClaimCues {
  return CUES[language.split('-')[0]?.toLowerCase() ?? 'en'] ?? en;
}
