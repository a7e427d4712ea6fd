/**
 * When the bot should hand a conversation to a person on its own, pure: anger, distress or
 * repeated complaints in any supported language, operator rules (keywords, VIP shoppers, big
 * orders) and a streak of answers the bot was unsure about. The shopper asking for a person
 * and the model's `handoff_to_human` tool are handled by the bot itself.
 */

/** Words of anger, distress and complaint per language (lower case; matched inside text for CJK/Thai). */
const LEXICON: Readonly<Record<string, { anger: readonly string[]; complaint: readonly string[] }>> = {
  en: {
    anger: ['furious', 'angry', 'outraged', 'ridiculous', 'unacceptable', 'disgusting', 'scam', 'fraud', 'rip-off', 'ripoff', 'useless', 'worst', 'terrible', 'awful', 'pathetic', 'wtf', 'fed up', 'sick of', 'lawyer', 'sue you', 'report you', 'desperate', 'crying', 'never again'],
    complaint: ['complaint', 'complain', 'still not', 'again', 'nobody answers', 'no one answers', 'third time', 'second time', 'broken', 'damaged', 'never arrived', 'not received'],
  },
  zh: {
    anger: ['生气', '气死', '愤怒', '太差', '垃圾', '骗子', '欺骗', '坑人', '投诉', '无语', '受够', '过分', '离谱', '恶心', '差评', '退钱', '律师', '举报', '太失望', '崩溃'],
    complaint: ['又来了', '还没', '还是没', '第三次', '第二次', '一直没', '没人回', '坏了', '破损', '没收到'],
  },
  es: {
    anger: ['furioso', 'furiosa', 'enfadado', 'enfadada', 'enojado', 'enojada', 'indignado', 'indignada', 'inaceptable', 'vergüenza', 'verguenza', 'estafa', 'fraude', 'ridículo', 'ridiculo', 'pésimo', 'pesimo', 'harto', 'harta', 'abogado', 'denunciar', 'desesperado', 'desesperada', 'horrible'],
    complaint: ['queja', 'reclamación', 'reclamacion', 'reclamo', 'otra vez', 'todavía no', 'todavia no', 'nadie responde', 'roto', 'dañado', 'danado', 'nunca llegó', 'nunca llego'],
  },
  fr: {
    anger: ['furieux', 'furieuse', 'en colère', 'en colere', 'inacceptable', 'honteux', 'arnaque', 'escroquerie', 'ridicule', 'nul', 'lamentable', "j'en ai marre", 'marre', 'avocat', 'porter plainte', 'désespéré', 'desespere', 'scandaleux'],
    complaint: ['plainte', 'réclamation', 'reclamation', 'encore', 'toujours pas', 'personne ne répond', 'cassé', 'casse', 'abîmé', 'abime', 'jamais reçu', 'jamais recu'],
  },
  de: {
    anger: ['wütend', 'wuetend', 'sauer', 'verärgert', 'veraergert', 'unverschämt', 'unverschaemt', 'inakzeptabel', 'frechheit', 'betrug', 'abzocke', 'lächerlich', 'laecherlich', 'katastrophe', 'schlechteste', 'anwalt', 'verzweifelt', 'die nase voll', 'unmöglich'],
    complaint: ['beschwerde', 'reklamation', 'schon wieder', 'immer noch nicht', 'niemand antwortet', 'kaputt', 'beschädigt', 'beschaedigt', 'nie angekommen'],
  },
  pt: {
    anger: ['furioso', 'furiosa', 'irritado', 'irritada', 'revoltado', 'inaceitável', 'inaceitavel', 'absurdo', 'golpe', 'fraude', 'ridículo', 'ridiculo', 'péssimo', 'pessimo', 'vergonha', 'advogado', 'procon', 'desesperado', 'desesperada', 'cansado disso'],
    complaint: ['reclamação', 'reclamacao', 'reclamar', 'de novo', 'ainda não', 'ainda nao', 'ninguém responde', 'ninguem responde', 'quebrado', 'danificado', 'nunca chegou'],
  },
  ja: {
    anger: ['怒', 'ふざけるな', 'ひどい', '最悪', '詐欺', '許せない', '信じられない', 'いい加減', '弁護士', '訴え', 'うんざり', '困っています', '返金しろ'],
    complaint: ['苦情', 'クレーム', 'またか', 'まだ届', '何度も', '壊れ', '破損', '届かない'],
  },
  ko: {
    anger: ['화가', '화나', '짜증', '최악', '사기', '어이없', '말도 안', '환불해', '변호사', '고소', '실망', '답답', '엉망'],
    complaint: ['불만', '항의', '또야', '아직도', '몇 번', '파손', '고장', '안 왔', '못 받'],
  },
  ru: {
    anger: ['возмущен', 'возмущён', 'злой', 'зла', 'бесит', 'ужасно', 'отвратительно', 'безобразие', 'мошенники', 'обман', 'развод', 'позор', 'кошмар', 'юрист', 'суд', 'достали', 'отчаянии'],
    complaint: ['жалоба', 'претензия', 'опять', 'снова', 'до сих пор', 'никто не отвечает', 'сломан', 'повреждён', 'поврежден', 'не пришёл', 'не пришел'],
  },
  ar: {
    anger: ['غاضب', 'غاضبة', 'زعلان', 'سيء جدا', 'سيئ جدا', 'أسوأ', 'اسوأ', 'نصب', 'احتيال', 'حرامية', 'مهزلة', 'غير مقبول', 'محامي', 'سأشتكي', 'قرفت', 'زهقت'],
    complaint: ['شكوى', 'مرة أخرى', 'مرة ثانية', 'لم يصل', 'ما وصل', 'لا أحد يرد', 'مكسور', 'تالف'],
  },
  id: {
    anger: ['marah', 'kesal', 'kecewa berat', 'penipuan', 'penipu', 'tidak masuk akal', 'parah', 'buruk sekali', 'payah', 'pengacara', 'lapor', 'capek', 'muak'],
    complaint: ['komplain', 'keluhan', 'lagi-lagi', 'masih belum', 'tidak ada yang balas', 'rusak', 'belum sampai', 'tidak sampai'],
  },
  th: {
    anger: ['โกรธ', 'โมโห', 'แย่มาก', 'ห่วย', 'โกง', 'หลอกลวง', 'ไม่ยอมรับ', 'ทนายความ', 'ฟ้อง', 'ผิดหวังมาก', 'รำคาญ'],
    complaint: ['ร้องเรียน', 'อีกแล้ว', 'ยังไม่ได้', 'ไม่มีใครตอบ', 'เสียหาย', 'แตก', 'ไม่ได้รับ'],
  },
  vi: {
    anger: ['tức giận', 'bực mình', 'bực', 'tệ quá', 'tồi tệ', 'lừa đảo', 'vô lý', 'không chấp nhận', 'luật sư', 'kiện', 'chán', 'thất vọng'],
    complaint: ['khiếu nại', 'phàn nàn', 'lại nữa', 'vẫn chưa', 'không ai trả lời', 'bị hỏng', 'bị vỡ', 'chưa nhận được'],
  },
  tr: {
    anger: ['sinirli', 'kızgın', 'kizgin', 'rezalet', 'berbat', 'dolandırıcı', 'dolandirici', 'sahtekar', 'saçmalık', 'sacmalik', 'kabul edilemez', 'avukat', 'şikayet edeceğim', 'bıktım', 'biktim'],
    complaint: ['şikayet', 'sikayet', 'yine', 'hala gelmedi', 'hâlâ', 'kimse cevap vermiyor', 'kırık', 'kirik', 'hasarlı', 'hasarli'],
  },
};

/** Scripts written without spaces: words are matched inside the text. */
const unspaced = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]/u;

/** A lexicon entry as a pattern: a whole word in spaced scripts, a substring otherwise. */
function entryPattern(w: string): string {
  return unspaced.test(w) ? escape(w) : `(?<![\\p{L}\\p{N}])${escape(w)}(?![\\p{L}\\p{N}])`;
}

type Kind = 'anger' | 'complaint';

/** One lexicon entry. */
interface Entry {
  kind: Kind;
  word: string;
  /** A whole word of a spaced script: its pattern only matches where no letter or digit precedes. */
  wordStart: boolean;
  /** Compiled when first needed: most entries are never a candidate, and compiling all costs ~30 ms at start. */
  pattern?: RegExp;
}

/** Every entry of every language; an entry listed in two languages counts twice, as it always has. */
const entries: readonly Entry[] = (['anger', 'complaint'] as const).flatMap((kind) =>
  Object.values(LEXICON).flatMap((l) => l[kind].map((word) => ({ kind, word, wordStart: !unspaced.test(word) }))),
);

function patternOf(entry: Entry): RegExp {
  entry.pattern ??= new RegExp(entryPattern(entry.word), 'iu');
  return entry.pattern;
}

/*
 * Running hundreds of patterns over every message is what made this check costly, and most
 * messages contain no entry at all. An entry can only match where the text shows its first two
 * characters (its only one, for 怒), compared as its `iu` pattern compares characters, and, for
 * a whole word, where no letter or digit comes before them. So the characters that open entries
 * are sorted into classes of case-insensitive equals, entries are filed under the classes of
 * their opening characters, and one pass over a message lists the few candidates. Their own
 * patterns still decide, so the counts are exactly what they were.
 */

/** Every character that opens an entry (first or second character), each once. */
const openers = [...new Set(entries.flatMap((e) => [...e.word].slice(0, 2)))];

/**
 * One alternative per opener, in order: the first alternative that matches a character names
 * its class, the first opener equal to it as the entries' `iu` patterns compare characters (the
 * engine's own case folding: ſ is s, K is k). Equal openers thus share a class.
 */
const OPENER = new RegExp(`^(?:${openers.map((ch) => `(${escape(ch)})`).join('|')})$`, 'iu');

/** The class of a character (the index of the first opener it equals), or -1. */
function openerClass(ch: string): number {
  const match = OPENER.exec(ch);
  if (match) for (let group = 1; group < match.length; group++) if (match[group] !== undefined) return group - 1;
  return -1;
}

/** A pair of classes as one number (fewer classes than openers; checked below). */
const pairKey = (first: number, second: number): number => first * 4096 + second;

/**
 * Entry indexes filed four ways: one-character entries by class, longer ones by their opening
 * pair of classes; entries matched anywhere apart from whole words, which must open a word.
 * `bit` marks, per class, the lists it opens: most characters open none and skip the lookups.
 */
const filed = {
  single: { bit: 1, entries: new Map<number, number[]>() },
  pair: { bit: 2, entries: new Map<number, number[]>() },
  singleWord: { bit: 4, entries: new Map<number, number[]>() },
  pairWord: { bit: 8, entries: new Map<number, number[]>() },
};
const opens: number[] = [];

if (openers.length >= 4096) throw new Error('triggers: too many opening characters for pairKey');
const classOfOpener = new Map(openers.map((ch) => [ch, openerClass(ch)]));
entries.forEach((entry, index) => {
  const [first = '', second] = [...entry.word];
  const a = classOfOpener.get(first) ?? -1;
  const where = second === undefined ? (entry.wordStart ? filed.singleWord : filed.single) : entry.wordStart ? filed.pairWord : filed.pair;
  const key = second === undefined ? a : pairKey(a, classOfOpener.get(second) ?? -1);
  where.entries.set(key, [...(where.entries.get(key) ?? []), index]);
  opens[a] = (opens[a] ?? 0) | where.bit;
});

const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/*
 * What the signals need of one character, packed in a number: its case for the shouting check
 * (bits 0-1), whether it is a letter or digit (bit 2: a whole word cannot start after one), and
 * its opener class + 1 (bits 3 and up). Learnt on first sight of each character, so the case
 * conversions and tests run once per character rather than once per character of every message.
 */
const UNCASED = 1;
const LOWER = 2;
const UPPER = 3;
const CASE_BITS = 3;
const LETTER_OR_DIGIT_BIT = 4;
const CLASS_SHIFT = 3;

/** Per UTF-16 code unit; 0 is not known yet (a known character always has a case). */
const infoOfUnit = new Int32Array(0x10000);
/** Per code point beyond the BMP (emoji, mostly), up to a bound. */
const infoOfAstral = new Map<number, number>();
const ASTRAL_MEMO_LIMIT = 10_000;

function readCharInfo(c: string): number {
  // Cased letters only: scripts without case (CJK, Arabic, Thai) neither shout nor whisper.
  const up = c.toUpperCase();
  const letterCase = up === c.toLowerCase() || !LETTER.test(c) ? UNCASED : c === up ? UPPER : LOWER;
  return letterCase | (LETTER_OR_DIGIT.test(c) ? LETTER_OR_DIGIT_BIT : 0) | ((openerClass(c) + 1) << CLASS_SHIFT);
}

/** The packed info of the character at `i` (a whole code point, as the `u` patterns read it). */
function charInfo(text: string, i: number): number {
  if (isSurrogatePair(text, i)) {
    const codePoint = text.codePointAt(i) ?? 0;
    let info = infoOfAstral.get(codePoint);
    if (info === undefined) {
      info = readCharInfo(text.slice(i, i + 2));
      if (infoOfAstral.size < ASTRAL_MEMO_LIMIT) infoOfAstral.set(codePoint, info);
    }
    return info;
  }
  const unit = text.charCodeAt(i);
  let info = infoOfUnit[unit] ?? 0;
  if (info === 0) infoOfUnit[unit] = info = readCharInfo(text[i] ?? '');
  return info;
}

function isSurrogatePair(text: string, i: number): boolean {
  return (text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
}

/** Marks of the entries already listed for the current message (cleared after each). */
const listed = new Uint8Array(entries.length);

function listCandidates(indexes: readonly number[] | undefined, candidates: number[]): void {
  if (!indexes) return;
  for (const index of indexes) {
    if (listed[index]) continue;
    listed[index] = 1;
    candidates.push(index);
  }
}

/** How many anger and complaint entries a text contains. */
function lexiconHits(text: string): Record<Kind, number> {
  const candidates: number[] = [];
  // The previous character's class, and whether a letter or digit precedes it and the current one.
  let previous = -1;
  let previousAtWordStart = true;
  let atWordStart = true;
  for (let i = 0; i < text.length; i++) {
    const info = charInfo(text, i);
    if (isSurrogatePair(text, i)) i++;
    const k = (info >> CLASS_SHIFT) - 1;
    if (k >= 0) {
      const opened = opens[k] ?? 0;
      if (opened & filed.single.bit) listCandidates(filed.single.entries.get(k), candidates);
      if (opened & filed.singleWord.bit && atWordStart) listCandidates(filed.singleWord.entries.get(k), candidates);
    }
    if (k >= 0 && previous >= 0) {
      const opened = opens[previous] ?? 0;
      if (opened & filed.pair.bit) listCandidates(filed.pair.entries.get(pairKey(previous, k)), candidates);
      if (opened & filed.pairWord.bit && previousAtWordStart) listCandidates(filed.pairWord.entries.get(pairKey(previous, k)), candidates);
    }
    previous = k;
    previousAtWordStart = atWordStart;
    atWordStart = (info & LETTER_OR_DIGIT_BIT) === 0;
  }
  const hits = { anger: 0, complaint: 0 };
  for (const index of candidates) {
    listed[index] = 0;
    const entry = entries[index];
    if (entry && patternOf(entry).test(text)) hits[entry.kind]++;
  }
  return hits;
}

/** Keyword rules, compiled once per keyword (the rules are fixed for the process). */
const keywordPatterns = new Map<string, RegExp>();

function keywordPattern(k: string): RegExp {
  let pattern = keywordPatterns.get(k);
  if (!pattern) {
    pattern = new RegExp(unspaced.test(k) ? escape(k) : `(?<![\\p{L}\\p{N}])${escape(k)}`, 'iu');
    if (keywordPatterns.size < 10_000) keywordPatterns.set(k, pattern);
  }
  return pattern;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The languages the lexicon covers. */
export const emotionLanguages = Object.keys(LEXICON);

/** What the detector found in one message. */
export interface EmotionSignals {
  /** Anger or distress words. */
  anger: number;
  /** Complaint words ("again", "still not", "投诉"). */
  complaint: number;
  /** Shouting: most letters in capitals (6 letters or more). */
  caps: boolean;
  /** "!!!", "?!?!" and friends. */
  exclamations: boolean;
}

const EXCLAMATIONS = /[!！?？]{3,}|[!！]{2,}/u;

/** Reads the signals of anger, distress and complaint in a message (any language). */
export function emotionSignals(text: string): EmotionSignals {
  // Shouting: capitals among the cased letters.
  let letters = 0;
  let upper = 0;
  for (let i = 0; i < text.length; i++) {
    const letterCase = charInfo(text, i) & CASE_BITS;
    if (isSurrogatePair(text, i)) i++;
    if (letterCase === UNCASED) continue;
    letters++;
    if (letterCase === UPPER) upper++;
  }
  const { anger, complaint } = lexiconHits(text);
  return {
    anger,
    complaint,
    caps: letters >= 6 && upper / letters > 0.7,
    exclamations: EXCLAMATIONS.test(text),
  };
}

/**
 * How upset a message sounds, 0..n: an anger word counts 2, a complaint word 1, shouting 1,
 * a burst of exclamation marks 1. 2 or more is worth a person.
 */
export function upsetScore(s: EmotionSignals): number {
  return s.anger * 2 + Math.min(s.complaint, 2) + (s.caps ? 1 : 0) + (s.exclamations ? 1 : 0);
}

/** Operator rules from `handoff.rules` in the config. */
export interface HandoffRules {
  /** Words that always go to a person ("refund", "complaint", "chargeback"), any language. */
  keywords: readonly string[];
  /** Shop customer references of VIP shoppers. */
  vipCustomerRefs: readonly string[];
  /** VIP channel identities, `channelId:platformUserId`. */
  vipIdentities: readonly string[];
  /** Orders worth more than this (in the order's currency) go to a person when mentioned. */
  orderValueAbove?: number;
}

/** What the triggers look at in one shopper turn. */
export interface TriggerInput {
  /** What the shopper wrote, as written. */
  text: string;
  /** The same in the working language (keywords are usually written in it). */
  workingText?: string;
  /** Upset scores of the shopper's previous messages in this conversation, newest last. */
  recentUpset?: readonly number[];
  customerRef?: string;
  identities?: readonly string[];
  /** Totals of orders mentioned in the message, when a connector could look them up. */
  orderTotals?: readonly number[];
  /** `emotionSignals(text)`, when the caller has already read them (saves reading twice). */
  emotion?: EmotionSignals;
}

/**
 * The reason to hand a message to a person, or undefined.
 *
 * @example
 * ```ts
 * evaluateTriggers({ text: '¡Esto es una estafa!!!' }, rules); // { reason: 'emotion' }
 * evaluateTriggers({ text: 'I want a refund' }, { ...rules, keywords: ['refund'] }); // { reason: 'keyword:refund' }
 * ```
 */
export function evaluateTriggers(input: TriggerInput, rules: HandoffRules, detectEmotion = true): { reason: string } | undefined {
  if (rules.keywords.length > 0) {
    const haystack = `${input.text}\n${input.workingText ?? ''}`;
    const keyword = rules.keywords.find((k) => keywordPattern(k).test(haystack));
    if (keyword) return { reason: `keyword:${keyword}` };
  }
  if (input.customerRef && rules.vipCustomerRefs.includes(input.customerRef)) return { reason: 'vip' };
  if (input.identities?.some((i) => rules.vipIdentities.includes(i))) return { reason: 'vip' };
  if (rules.orderValueAbove !== undefined && input.orderTotals?.some((t) => t > (rules.orderValueAbove ?? Infinity))) return { reason: 'order_value' };
  if (!detectEmotion) return undefined;
  const score = upsetScore(input.emotion ?? emotionSignals(input.text));
  if (score >= 2) return { reason: 'emotion' };
  // Repeated complaints: this message and an earlier one both sound unhappy.
  const earlier = (input.recentUpset ?? []).filter((s) => s >= 1).length;
  if (score >= 1 && earlier >= 1) return { reason: 'repeated_complaint' };
  return undefined;
}

/**
 * The low-confidence streak after one bot answer: reset by a confident answer, increased by
 * an unsure one; a handoff when it reaches `limit` (0 turns the rule off).
 *
 * @example
 * ```ts
 * lowConfidence(2, 0.3, 0.55, 3); // { streak: 3, handoff: true }
 * ```
 */
export function lowConfidence(streak: number, confidence: number, minConfidence: number, limit: number): { streak: number; handoff: boolean } {
  const next = confidence < minConfidence ? streak + 1 : 0;
  return { streak: next, handoff: limit > 0 && next >= limit };
}

/** Order numbers mentioned in a text (`PS-100234`, `#PS 100234`). */
export function orderNumbers(text: string): string[] {
  return [...text.matchAll(/#?\b([A-Z]{1,4})[- ]?(\d{4,12})\b/giu)].map((m) => `${m[1]?.toUpperCase()}-${m[2]}`);
}

/** Shopper words that cancel a waiting handoff, per language (whole message, folded). */
const CANCEL = /^(cancel|cancel it|never ?mind|nevermind|stop|forget it|no thanks|cancelar|olvídalo|olvidalo|annuler|laisse tomber|abbrechen|stornieren|vergiss es|esqueça|esqueca|キャンセル|やめます|취소|отмена|отменить|إلغاء|الغاء|batal|batalkan|ยกเลิก|hủy|huỷ|thôi|iptal|vazgeçtim|取消|算了|不用了)[.!。！\s]*$/iu;

/** Whether a shopper message cancels their request for a person ("cancel", "取消", "cancelar"). */
export function isCancel(text: string): boolean {
  return CANCEL.test(text.trim());
}
