/**
 * The quantities a sentence states, whatever the script: "30 days", "３０日", "三十天",
 * "九十天", "5,95 €", "€5.95", "10 %", "九折" (10 % off), "两周". Chinese and Japanese numerals
 * are read with `nzh`; full-width and Arabic-Indic digits (and the Arabic decimal sign) are folded first.
 */
import cn from 'nzh/cn';
import hk from 'nzh/hk';
import { foldForChecks } from '../../text-fold.js';
import { numberWordsToDigits } from './number-words.js';

/** What a number counts. */
export type Unit = 'day' | 'week' | 'month' | 'year' | 'hour' | 'percent' | 'money' | 'none';

/** One quantity: a value and what it counts. */
export interface Quantity {
  value: number;
  unit: Unit;
  /** Named, not written in digits ("tomorrow", "next week"). */
  named?: true;
  /** "Today", "immediately": a time only next to a commitment. */
  now?: true;
}

const HAN_DIGITS = '零〇一二两兩三四五六七八九十百千万萬';
const HAN_NUMBER = new RegExp(`[${HAN_DIGITS}]{1,8}`, 'gu');
const HAN_WORDS = new Set(['千万', '千萬', '万一', '萬一', '一一', '万万', '萬萬', '千千万万', '千千萬萬']);
/** Two neighbouring digits: an estimate ("两三", "三四", "七八"), not a number. */
const APPROXIMATE = /^(?:一二|两三|兩三|二三|三四|四五|五六|六七|七八|八九)$/u;

/** A run of Chinese numerals as a number ("九十" → 90, "两百" → 200), or undefined. */
function hanNumber(run: string): number | undefined {
  const text = run.replace(/[两兩]/g, '二').replace(/萬/g, '万');
  const value = Number((/[萬]/.test(run) ? hk : cn).decodeS(text));
  return Number.isFinite(value) && (value > 0 || /^[零〇]$/.test(run)) ? value : undefined;
}

/**
 * The text with Chinese and Japanese numerals written as digits ("九十天" → "90天"), and every
 * digit in ASCII. A lone 一 stays a word unless a unit follows (一天 → 1天), so 一般 is not "1".
 */
function digitsFor(text: string): string {
  return foldForChecks(text).replace(HAN_NUMBER, (run, at: number, whole: string) => {
    const next = whole.slice(at + run.length, at + run.length + 1);
    // Words, not numbers: 千万 ("by all means"), 万一 ("in case"); and 两三天, 三四天 ("two or three days").
    if (HAN_WORDS.has(run) || APPROXIMATE.test(run)) return run;
    if (run.length === 1 && !/[天日周週个個月年小时時%％元块円折割倍件次]/u.test(next)) return run;
    return String(hanNumber(run) ?? run);
  });
}

const UNIT_WORDS: readonly [Unit, RegExp][] = [
  [
    'percent',
    /^\s?(?:%|％|percent|per cent|prozent|por ciento|pour cent|procent|per cento|por cento|процент|persen|yüzde|phần trăm|phan tram|퍼센트|프로|パーセント|เปอร์เซ็นต์|بالمئة|بالمائة|في المئة|في المائة)/iu,
  ],
  [
    'money',
    /^\s?(?:€|\$|£|¥|eur\b|euro|usd|gbp|cny|rmb|jpy|yuan|dollar|pound|元|块|円|欧元|歐元|美元|英镑|英鎊|人民币|人民幣|ユーロ|유로|원|يورو|ยูโร|bảng|евро)/iu,
  ],
  [
    'day',
    /^\s?(?:days?|business days?|working days?|tage?n?|werktage?n?|días?|dias?|jours?|dagen|dag|giorni|giorno|дн|день|дней|hari|gün|ngày|วัน|日|天|일|يوم|أيام|ايام|个工作日|個工作日|工作日|営業日|영업일)/iu,
  ],
  ['week', /^\s?(?:weeks?|wochen?|semanas?|semaines?|weken|settimane|недел|minggu|hafta|tuần|สัปดาห์|周|週|주|أسبوع|اسابيع)/iu],
  ['month', /^\s?(?:months?|monate?n?|meses|mes|mois|maanden|mesi|месяц|bulan|ay\b|tháng|เดือน|个月|個月|か月|ヶ月|カ月|개월|شهر|أشهر)/iu],
  ['year', /^\s?(?:years?|jahre?n?|años?|anos?|ans?\b|jaar|anni|год|лет|tahun|yıl|năm|ปี|年|년|سنة|سنوات)/iu],
  ['hour', /^\s?(?:hours?|stunden?|horas?|heures?|uur|ore|час|jam|saat|giờ|ชั่วโมง|小时|小時|時間|시간|ساعة)/iu],
];

const MONEY_BEFORE = /(?:€|\$|£|¥|EUR|USD|GBP)\s?$/iu;
/** "百分之二十", "yüzde 20", "%20": percent written before the number. */
const PERCENT_BEFORE = /(?:百分之|yüzde\s?|%)$/iu;
const NUMBER = /\d+(?:[.,]\d+)*/g;

/** `1,000` and `1.000` → 1000; `5,95` → 5.95; `129.00` → 129. */
export function numberValue(raw: string): number | undefined {
  const s = raw.replace(/[.,]+$/, '');
  if (!s) return undefined;
  const n = /^\d{1,3}([.,]\d{3})+$/.test(s) ? Number(s.replace(/[.,]/g, '')) : Number(s.replace(',', '.').replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Days named relative to today, in the languages Parley serves: "tomorrow" is a one-day
 * promise and must be stated like any "1 day". Matched on folded (lower-case, accent-free) text.
 */
const RELATIVE_DAYS: readonly [RegExp, Quantity][] = [
  [
    /(?<![\p{L}])(?:tomorrow|morgen|manana|demain|amanha|domani|zavtra|besok|yarin|ngay mai)(?![\p{L}])|завтра|明天|明日|내일|غدا|بكرة|พรุ่งนี้/u,
    { value: 1, unit: 'day', named: true },
  ],
  [
    /(?<![\p{L}])(?:overnight|next day|next-day|am nachsten tag|al dia siguiente|le lendemain|no dia seguinte|keesokan harinya|ertesi gun|ngay hom sau)(?![\p{L}])|на следующий день|第二天|次日|翌日|다음 날|اليوم التالي|วันถัดไป/u,
    { value: 1, unit: 'day', named: true },
  ],
  [
    /(?<![\p{L}])(?:next week|nachste woche|la semana que viene|la proxima semana|la semaine prochaine|semana que vem|proxima semana|minggu depan|gelecek hafta|tuan sau)(?![\p{L}])|на следующей неделе|下周|下週|来週|다음 주|الأسبوع القادم|สัปดาห์หน้า/u,
    { value: 1, unit: 'week', named: true },
  ],
];

/**
 * "Now" words: a time only where a commitment is (a refund "today" is a zero-day deadline;
 * "how can I help you today?" is not a claim).
 */
const NOW: RegExp =
  /(?<![\p{L}])(?:today|tonight|immediately|right away|instantly|heute|sofort|hoy|de inmediato|inmediatamente|aujourd'hui|immediatement|tout de suite|hoje|imediatamente|oggi|subito|vandaag|meteen|direct|hari ini|segera|bugun|hemen|hom nay|ngay lap tuc)(?![\p{L}])|сегодня|немедленно|сразу|今天|今日|立即|马上|馬上|本日|すぐに|直ちに|오늘|즉시|바로|اليوم|فورا|فوراً|วันนี้|ทันที/u;

/** "One day", "a week", "un mois", "eine Woche", "satu tahun": one of a unit, written as a word. */
const ONE_UNIT =
  /(?<![\p{L}])(?:one|a|an|un|une|uno|una|um|uma|ein|eine|einen|einem|een|один|одна|одну|один|satu|bir|một|واحد)\s+(?=(?:day|week|month|year|hour|jour|semaine|mois|an|année|día|semana|mes|año|dia|mês|ano|tag|woche|monat|jahr|stunde|dag|week|maand|jaar|день|неделю|месяц|год|hari|minggu|bulan|tahun|gün|hafta|ay|yıl|ngày|tuần|tháng|năm|يوم|أسبوع|شهر|سنة)(?![\p{L}]))/giu;

/** Strips accents and lower-cases, as the relative-day patterns are written. */
function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase();
}

/** Units that make a quantity a deadline or a duration. */
export const TIME_UNITS: ReadonlySet<Unit> = new Set(['day', 'week', 'month', 'year', 'hour']);

/**
 * Every quantity in a sentence with the unit it counts, when one is written next to it; with
 * `language`, numbers written as words of that language count too ("ninety days").
 * Chinese discounts ("九折", "八五折") read as percent off; "tomorrow", "next day" and
 * "next week" as days and weeks.
 *
 * @example
 * ```ts
 * quantities('九十天无理由退货'); // [{ value: 90, unit: 'day' }]
 * quantities('Shipping costs €5.95 and takes 2–3 days'); // [{ value: 5.95, unit: 'money' }, { value: 2, unit: 'none' }, { value: 3, unit: 'day' }]
 * ```
 */
export function quantities(sentence: string, language?: string): Quantity[] {
  const text = digitsFor(language ? numberWordsToDigits(sentence, language).replace(ONE_UNIT, '1 ') : sentence);
  const out: Quantity[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const value = numberValue(m[0]);
    if (value === undefined) continue;
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 24);
    const before = text.slice(Math.max(0, m.index - 5), m.index);
    // 二割 / 2割引: tenths off (Japanese).
    if (/^\s?割/u.test(after)) {
      out.push({ value: value * 10, unit: 'percent' });
      continue;
    }
    // 九折 / 8折 / 八五折: the price after discount, in tenths.
    if (/^\s?折/u.test(after)) {
      out.push({ value: Math.round(100 - (value < 10 ? value * 10 : value)), unit: 'percent' });
      continue;
    }
    const unit = MONEY_BEFORE.test(before) ? 'money' : PERCENT_BEFORE.test(before) ? 'percent' : (UNIT_WORDS.find(([, re]) => re.test(after))?.[0] ?? 'none');
    out.push({ value, unit });
  }
  const folded = plain(text);
  for (const [re, quantity] of RELATIVE_DAYS) if (re.test(folded)) out.push(quantity);
  if (NOW.test(folded)) out.push({ value: 0, unit: 'day', named: true, now: true });
  return out;
}
