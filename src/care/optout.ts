/**
 * Opt-out recognition. A shopper's whole message (not a word inside a sentence) that is one
 * of these, in any supported language, ends marketing messages. Recognition words are input
 * patterns, not shown strings, so they live here rather than in `locales/`.
 */
const OPT_OUT_WORDS = [
  // en
  'stop',
  'unsubscribe',
  'stop all',
  'opt out',
  'optout',
  'no more messages',
  // es, pt
  'baja',
  'darme de baja',
  'dar de baja',
  'cancelar suscripción',
  'cancelar suscripcion',
  'parar',
  'descadastrar',
  'sair',
  'cancelar inscrição',
  // de
  'abmelden',
  'abbestellen',
  'stopp',
  // fr
  'désabonner',
  'desabonner',
  'se désabonner',
  'désinscrire',
  'arrêt',
  'arret',
  // zh-CN, zh-TW
  '退订',
  '退訂',
  '取消订阅',
  '取消訂閱',
  '停止',
  // ja
  '配信停止',
  '停止して',
  'ストップ',
  // ko
  '수신거부',
  '수신 거부',
  '구독취소',
  '구독 취소',
  // ru
  'отписаться',
  'стоп',
  'отписка',
  // ar
  'إلغاء الاشتراك',
  'الغاء الاشتراك',
  'توقف',
  // id, ms
  'berhenti',
  'berhenti langganan',
  // th
  'ยกเลิก',
  'ยกเลิกการรับข่าวสาร',
  // vi
  'hủy đăng ký',
  'huỷ đăng ký',
  'huy dang ky',
  'dừng',
  // tr
  'durdur',
  'abonelikten çık',
  'abonelikten cik',
];

/** The payload of the opt-out button. */
export const OPT_OUT_PAYLOAD = 'care.optout';

/** Lower case, NFKC, no surrounding punctuation, emoji or spaces. */
export function normalizeCommand(text: string): string {
  return text
    .normalize('NFKC')
    .toLocaleLowerCase()
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '')
    .replace(/\s+/g, ' ');
}

const words = new Set(OPT_OUT_WORDS.map(normalizeCommand));

/**
 * Whether a shopper's message asks to stop marketing messages.
 *
 * @example
 * ```ts
 * isOptOut('STOP');        // true
 * isOptOut('  Baja. ');    // true
 * isOptOut('stop sending me the wrong size'); // false: only a whole message counts
 * ```
 */
export function isOptOut(text: string, extraLabels: Iterable<string> = []): boolean {
  const said = normalizeCommand(text);
  if (!said) return false;
  if (said === OPT_OUT_PAYLOAD || words.has(said)) return true;
  for (const label of extraLabels) if (normalizeCommand(label) === said) return true;
  return false;
}

/**
 * A 1–5 rating in a reply: the rating button's payload (`care.rating.4`) or label, a bare
 * digit (also full-width), or a row of stars.
 *
 * @example
 * ```ts
 * parseRating('care.rating.4'); // 4
 * parseRating('５');             // 5
 * parseRating('⭐⭐⭐');          // 3
 * parseRating('thanks');        // undefined
 * ```
 */
export function parseRating(text: string, labels: ReadonlyMap<string, number> = new Map()): number | undefined {
  const said = normalizeCommand(text);
  const payload = /^care\.rating\.([1-5])$/.exec(said);
  if (payload) return Number(payload[1]);
  const labelled = labels.get(said);
  if (labelled) return labelled;
  if (/^[1-5]$/.test(said)) return Number(said);
  const raw = text.normalize('NFKC').trim();
  if (/^[1-5]\s*(\/\s*5|★|⭐|stars?)?$/i.test(raw)) return Number(raw[0]);
  const stars = [...raw].filter((c) => c === '★' || c === '⭐').length;
  if (stars >= 1 && stars <= 5 && raw.replace(/★|⭐|\s|\uFE0F/g, '') === '') return stars;
  return undefined;
}
