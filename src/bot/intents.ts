/**
 * Recognises a shopper asking for a person, in many languages, without a model. The pipeline
 * checks this before the bot answers, so "human" never gets a knowledge-base article.
 */
import { HANDOFF_PAYLOAD } from '../core/translate-parts.js';
import { simplified } from '../language/han.js';
import { fold, isCjk } from './text.js';

export { HANDOFF_PAYLOAD };

/**
 * What a shopper says to reach a person, per language. Messages are matched as `normalise` leaves
 * them: lower case, accents and punctuation gone (Turkish ı as i, Vietnamese đ as d, Russian й as и), Traditional
 * Chinese as Simplified, Arabic alef, teh marbuta and alef maksura folded (أ إ آ -> ا, ة -> ه,
 * ى -> ي), so patterns are written that way; keywords and fillers may be written as usual.
 */
interface HandoffPhrases {
  /** Clear requests: they count anywhere in a message ("I want to talk to a human"). */
  requests: readonly RegExp[];
  /** Words that count only when the message is little more than them ("agent please"). */
  keywords: readonly string[];
  /** Politeness and glue words that may surround a keyword in a short request. */
  fillers: readonly string[];
}

const HANDOFF: Readonly<Record<string, HandoffPhrases>> = {
  en: {
    requests: [
      /\b(talk|speak|chat)\s+(to|with)\s+(a|an|the|some|your)?\s*(real\s+|live\s+|actual\s+)?(human|person|agent|someone|somebody|representative|operator|staff|manager|supervisor)\b/,
      /\b(want|need|get\s+me|connect\s+me\s+(to|with)|transfer\s+me\s+to|put\s+me\s+through\s+to)\s+(a|an|the|some)?\s*(real\s+|live\s+|actual\s+)?(human|person|agent|representative|operator|customer\s+(service|support|care)|support\s+team)\b/,
      /\b(is\s+there|are\s+there|is\s+anyone)\s+(a|an|any)?\s*(real\s+|actual\s+|live\s+)?(human|person|people|agent)s?\s+(here|there|i\s+can|to)\b/,
    ],
    keywords: [
      'human',
      'a human',
      'agent',
      'live agent',
      'human agent',
      'real person',
      'a person',
      'person',
      'customer service',
      'customer support',
      'customer care',
      'representative',
      'operator',
      'manager',
      'supervisor',
      'human please',
    ],
    fillers: [
      'please',
      'pls',
      'plz',
      'i',
      'want',
      'need',
      'would',
      'like',
      'to',
      'a',
      'an',
      'the',
      'can',
      'could',
      'get',
      'me',
      'talk',
      'speak',
      'with',
      'now',
      'connect',
      'transfer',
      'just',
      'hi',
      'hello',
      'hey',
      'real',
      'live',
      'some',
      'ok',
      'yes',
      'your',
    ],
  },
  zh: {
    requests: [
      /转人工|转接人工|找人工|人工服务|人工客服|真人客服|(和|跟|找|与)(真人|客服|人工|专人)(说|聊|谈|沟通|讲|对话)|转(接)?(真人|客服|专人)|找个真人|我要真人|有真人(吗|在|可以|能)|(请|让)(真人|客服人员|专人)|不要机器人|不想(和|跟)机器人/,
    ],
    keywords: ['人工', '客服', '真人', '专人', '客服人员', '在线客服', '人工客服'],
    fillers: ['我要', '我想', '请', '请帮我', '帮我', '给我', '转', '找', '联系', '要', '接', '吧', '呢', '啊', '吗', '可以', '谢谢', '你好', '一下'],
  },
  es: {
    requests: [
      /\bhablar con (una persona|un humano|un ser humano|un agente|alguien|un asesor|una asesora|un operador|un representante|soporte|atencion al cliente)\b/,
      /\b(quiero|necesito) (una persona|un humano|un agente|un asesor)\b/,
      /\b(pasas|pasa|pasame|pase|paseme|comunicame|comuniqueme|comunicas|conectame|transfiereme|transfieres)\s+(con|a)\s+(un|una|el|la|algun|alguna)?\s*(persona|humano|agente|asesor|asesora|operador|operadora|ejecutivo|ejecutiva|representante|soporte|atencion al cliente)\b/,
      /\bque me atienda (una persona|un humano|alguien|un asesor|una asesora)\b/,
    ],
    keywords: ['humano', 'un humano', 'agente', 'un agente', 'persona real', 'una persona', 'asesor', 'asesora', 'atencion al cliente', 'operador'],
    fillers: ['quiero', 'necesito', 'hablar', 'con', 'un', 'una', 'por', 'favor', 'porfa', 'porfavor', 'me', 'puedes', 'pasar', 'hola', 'el', 'la'],
  },
  fr: {
    requests: [
      /\bparler (a|avec) (un|une|quelqu'?un|le|la)\s*(conseiller|conseillere|humain|personne|agent|operateur|service client)?\b/,
      /\b(passez|passe|mettez|mets|transferez|redirigez)\s+(moi|me)\s+(en relation avec\s+|a\s+|avec\s+)?(un|une|le|la)?\s*(conseiller|conseillere|humain|agent|operateur|personne|service client)\b/,
    ],
    keywords: ['conseiller', 'conseillere', 'humain', 'un humain', 'vrai humain', 'un agent', 'service client', 'une personne', 'operateur'],
    fillers: ['je', 'veux', 'voudrais', 'parler', 'a', 'un', 'une', 'vrai', 'avec', 's', 'il', 'vous', 'plait', 'svp', 'bonjour', 'le', 'la'],
  },
  de: {
    requests: [
      /\b(mit|zu) (einem|einer|jemandem|dem|der)?\s*(echten\s+|richtigen\s+)?(menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person|kundenservice|kundendienst|support)\s+(sprechen|reden|chatten)\b/,
      /\bmit jemandem (sprechen|reden|chatten)\b/,
      /\b(einen|eine) (mitarbeiter|mitarbeiterin|menschen) sprechen\b/,
      /\bmit (dem|einem|eurem|ihrem) (team|kundenservice|kundendienst|support) (chatten|sprechen|reden)\b/,
      /\bverbinden sie mich\b|\b(echten|echter|richtigen) (menschen|mensch|mitarbeiter|mitarbeiterin)\b/,
    ],
    keywords: ['mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'kundenservice', 'kundendienst', 'echter mensch', 'berater', 'ansprechpartner'],
    fillers: ['ich', 'mochte', 'will', 'brauche', 'mit', 'einem', 'einer', 'einen', 'sprechen', 'bitte', 'hallo', 'den', 'echten', 'dem', 'chatten'],
  },
  pt: {
    requests: [
      /\bfalar com (um|uma|o|a|algum|alguma)?\s*(atendente|pessoa|humano|alguem|agente|suporte|atendimento|gerente|responsavel)\b/,
      /\b(passa|passe|transfere|transfira|encaminha|encaminhe|chama|chame|coloca|coloque)\s+(pra|para|pro|com)?\s*(um|uma|o|a)?\s*(atendente|pessoa|humano|atendimento|agente)\b/,
    ],
    keywords: ['atendente', 'humano', 'atendimento', 'atendimento humano', 'pessoa real', 'pessoa de verdade'],
    fillers: [
      'quero',
      'falar',
      'com',
      'um',
      'uma',
      'por',
      'favor',
      'pfv',
      'pf',
      'preciso',
      'oi',
      'ola',
      'o',
      'me',
      'pra',
      'pro',
      'tem',
      'algum',
      'alguma',
      'disponivel',
    ],
  },
  nl: {
    requests: [/\b(met|naar) (een|iemand)?\s*(medewerker|mens|persoon)\s+(spreken|praten)\b/],
    keywords: ['medewerker', 'een medewerker', 'klantenservice', 'een mens', 'mens'],
    fillers: ['ik', 'wil', 'graag', 'met', 'een', 'spreken', 'praten', 'alstublieft', 'aub', 'hallo'],
  },
  it: {
    requests: [/\bparlare con (un operatore|una persona|un umano|qualcuno)\b/],
    keywords: ['operatore', 'un operatore', 'umano', 'assistenza clienti'],
    fillers: ['voglio', 'vorrei', 'parlare', 'con', 'un', 'per', 'favore', 'ciao'],
  },
  ru: {
    requests: [
      /(поговорить|связаться|пообщаться|соединить|соедините|свяжите|переключите|переведите|позовите|позвать)\s+(меня\s+)?(с|со|на)?\s*(живым\s+)?(оператор|человек|менеджер|специалист|консультант|сотрудник)/,
      /(с|со)\s+(живым\s+)?(оператором|человеком|менеджером|специалистом|консультантом|сотрудником)\s+(поговорить|пообщаться|связаться)/,
      /даите (живого )?(человека|оператора|менеджера)/,
    ],
    keywords: ['оператор', 'оператора', 'живой человек', 'человек', 'менеджер'],
    fillers: ['хочу', 'с', 'поговорить', 'пожалуйста', 'позовите', 'нужен', 'дайте', 'мне', 'есть', 'можно', 'живого'],
  },
  ja: {
    requests: [
      /(オペレーター|担当者|担当の方|担当の人|スタッフ|人間|有人)(の方)?(と話|に(つな|繋)|に代わ|に変わ)|人と話(したい|せ|させ)|有人(対応|チャット)|(ボット|ロボット|ai)(じゃなくて|ではなく)/,
    ],
    keywords: ['オペレーター', '担当者', '担当の方', '有人', 'スタッフ', '人間'],
    fillers: ['お願いします', 'おねがいします', 'ください', 'に', 'と', 'を', 'です'],
  },
  ko: {
    requests: [
      /(상담원|상담사|사람|직원|직원분|매니저|담당자)(님)?(과|와|이랑|랑|하고)?\s*(좀\s*)?((연결|바꿔)|(대화|통화|얘기|이야기)\s*(하고\s*싶|할\s*수|해\s*주|하게|가능))|(챗봇|로봇)\s*(말고|아니고|대신)/,
    ],
    keywords: ['상담원', '상담사', '사람'],
    fillers: ['연결', '해주세요', '해 주세요', '부탁합니다', '부탁드려요', '요', '주세요'],
  },
  ar: {
    requests: [
      /(التحدث|التكلم|اتحدث|اتكلم|تحدث|التواصل|اتواصل|اكلم)\s*(مع|الي|ل)?\s*(موظف|شخص|انسان|ممثل|مندوب|خدمه العملاء|بشري|حد|احد|الدعم|مسؤول)/,
      /(كلمني|حولني|حولوني|وصلني|تحولني)\s*(مع|الي|علي|ل)?\s*(موظف|شخص|انسان|ممثل|مندوب|خدمه العملاء|بشري|الدعم|مسؤول)/,
    ],
    keywords: ['موظف', 'خدمة العملاء', 'ممثل خدمة العملاء', 'شخص حقيقي', 'إنسان', 'انسان'],
    fillers: ['أريد', 'اريد', 'من', 'فضلك', 'لو', 'سمحت', 'مع', 'إلى', 'الى', 'ابغى', 'أبغى', 'ابي', 'مرحبا', 'التحدث', 'أتحدث'],
  },
  id: {
    requests: [
      /\b(bicara|berbicara|chat|ngobrol|ngomong|hubungkan|sambungkan|dihubungkan|disambungkan|terhubung|alihkan)\s+(saya\s+)?(dengan|ke|sama)\s+(petugas|agen|cs|manusia|orang (asli|beneran|sungguhan)|admin|customer service|layanan pelanggan|operator)\b/,
    ],
    keywords: ['petugas', 'agen', 'cs', 'admin', 'manusia', 'layanan pelanggan', 'customer service'],
    fillers: ['saya', 'mau', 'ingin', 'tolong', 'dengan', 'bicara', 'sama', 'ke', 'halo', 'kak', 'min', 'dong', 'bisa', 'minta', 'chat', 'nya'],
  },
  th: {
    requests: [
      /(คุย|พูด|ติดต่อ|ต่อสาย|ขอสาย|โอนสาย)\s*(กับ|หา|ไปที่|ไปหา)?\s*(เจ้าหน้าที่|พนักงาน|แอดมิน|คนจริง|ฝ่ายบริการลูกค้า)/,
      /ขอ\s*(เจ้าหน้าที่|แอดมิน|พนักงาน|คนจริง)/,
      /^(มี)?(เจ้าหน้าที่|แอดมิน|พนักงาน|คนจริง)\s*(อยู่|ไหม|มั้ย|หรือเปล่า|ครับ|ค่ะ|คะ|หน่อย|ด้วย)*$/,
    ],
    keywords: ['เจ้าหน้าที่', 'แอดมิน', 'พนักงาน', 'คนจริง', 'ฝ่ายบริการลูกค้า'],
    fillers: ['ครับ', 'ค่ะ', 'คะ', 'หน่อย', 'ขอ', 'ด้วย'],
  },
  vi: {
    requests: [
      /\b(noi chuyen|chat|lien he|gap|ket noi|trao doi|chuyen|noi)\s+(voi\s+|cho\s+|sang\s+)?(nhan vien|tu van vien|nguoi that|mot nguoi|cham soc khach hang|cskh|admin)\b/,
      /\bco (nhan vien|tu van vien|nguoi that|admin) (nao )?(khong|ko|k)\b|^(nhan vien|tu van vien|admin) (dau|dau roi)$/,
    ],
    keywords: ['nhan vien', 'nhan vien tu van', 'tu van vien', 'nguoi that', 'cskh', 'cham soc khach hang'],
    fillers: ['toi', 'muon', 'can', 'cho', 'gap', 'xin', 'vui', 'long', 'voi', 'chat', 'a', 'oi', 'em', 'ban', 'minh', 'ket', 'noi', 'chao'],
  },
  tr: {
    requests: [
      /\b(temsilci|musteri temsilcisi|canli destek|canli destege|yetkili|bir insan|gercek bir insan|insan|biri|musteri hizmetleri|operator)(si|y?le|y?la|ye|ya|ne|na)?(\s+ile)?\s+(gorus|konus|bagla|baglan)/,
    ],
    keywords: ['temsilci', 'musteri temsilcisi', 'canli destek', 'yetkili', 'musteri hizmetleri', 'gercek bir insan'],
    fillers: ['lutfen', 'istiyorum', 'bir', 'ile', 'merhaba', 'baglan', 'bana', 'beni', 'temsilciye', 'yetkiliye'],
  },
};

const HAN = /\p{Script=Han}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const ARABIC = /\p{Script=Arabic}/u;
/** Alef with hamza or madda, teh marbuta, alef maksura, tatweel and vowel marks. */
const ARABIC_VARIANTS = /[\u0622\u0623\u0625\u0671\u0629\u0649\u0640]|[\u064b-\u065f\u0670]/gu;
const ARABIC_PLAIN: Readonly<Record<string, string>> = { '\u0622': 'ا', '\u0623': 'ا', '\u0625': 'ا', '\u0671': 'ا', '\u0629': 'ه', '\u0649': 'ي' };

/**
 * Folded as `fold` does; then the dot that lower-cased Turkish "İ" leaves behind goes, ı is i and
 * đ is d (as shoppers without a Turkish or Vietnamese keyboard type them), and Arabic letter
 * variants fold. Other marks stay (Thai vowels and Devanagari signs are words' letters there).
 */
function respell(text: string): string {
  const folded = fold(text)
    .replace(/\u0307/g, '')
    .replace(/ı/g, 'i')
    .replace(/đ/g, 'd');
  return ARABIC.test(folded) ? folded.replace(ARABIC_VARIANTS, (c) => ARABIC_PLAIN[c] ?? '') : folded;
}

/**
 * Keyword patterns, longest first so "customer service" goes before "service" could. CJK
 * keywords match inside text (no spaces there); others only as whole words. Each keeps its
 * plain text too: a substring test rules most patterns out far more cheaply than running
 * them (a typical message contains none of the hundred or so keywords).
 */
const keywordPatterns: readonly { keyword: string; pattern: RegExp }[] = Object.values(HANDOFF)
  .flatMap((lang) => lang.keywords.map(respell))
  .sort((a, b) => b.length - a.length)
  .map((k) => ({ keyword: k, pattern: new RegExp(isCjk(k) ? k : `(?<=[^\\p{L}\\p{N}])${k}(?=[^\\p{L}\\p{N}])`, 'gu') }));
/** Whether a text contains any keyword at all: one pass, where most messages stop. */
const ANY_KEYWORD = new RegExp(keywordPatterns.map(({ keyword }) => keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'u');
const fillers = new Set(Object.values(HANDOFF).flatMap((lang) => lang.fillers.map(respell)));
/** CJK fillers are removed as substrings, longest first. */
const cjkFillers = [...fillers].filter(isCjk).sort((a, b) => b.length - a.length);
const requests = Object.values(HANDOFF).flatMap((lang) => lang.requests);

/**
 * Lower-cased, diacritics folded, punctuation as spaces, so "Parler à un conseiller !" matches;
 * Chinese without kana as Simplified, so "轉人工" is "转人工".
 */
function normalise(text: string): string {
  const spelled = respell(text);
  const chinese = HAN.test(spelled) && !KANA.test(spelled);
  return (chinese ? simplified(spelled) : spelled)
    .replace(/[^\p{L}\p{M}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Removes every keyword occurrence and counts them. */
function stripKeywords(text: string): { rest: string; found: number } {
  let rest = ` ${text} `;
  let found = 0;
  for (const { keyword, pattern } of keywordPatterns) {
    if (!rest.includes(keyword)) continue;
    rest = rest.replace(pattern, () => {
      found += 1;
      return ' ';
    });
  }
  return { rest, found };
}

/** How much is left once fillers go: spaced words count 1, CJK text about 1 per 2 characters. */
function leftover(rest: string): number {
  let weight = 0;
  for (const word of rest.split(/\s+/).filter(Boolean)) {
    if (fillers.has(word)) continue;
    if (!isCjk(word)) weight += 1;
    else weight += Math.ceil(stripCjkFillers(word).length / 2);
  }
  return weight;
}

function stripCjkFillers(word: string): string {
  return cjkFillers.reduce((w, filler) => w.split(filler).join(''), word);
}

/**
 * Whether a message asks for a person: either a clear request anywhere ("I want to talk to a
 * human", "转人工", "hablar con una persona"), or a short message that is little more than a
 * keyword ("agent", "人工客服", "オペレーター", "상담원 연결해주세요"). A keyword inside an
 * ordinary sentence ("my agent said the parcel is delayed") does not count.
 *
 * @example
 * ```ts
 * detectHandoffRequest('Human please!');                      // true
 * detectHandoffRequest('客服电话是多少');                        // false: asks for a phone number
 * detectHandoffRequest('my agent said the parcel is delayed'); // false
 * ```
 */
export function detectHandoffRequest(text: string): boolean {
  const normalised = normalise(text);
  if (!normalised) return false;
  if (requests.some((pattern) => pattern.test(normalised))) return true;
  if (!ANY_KEYWORD.test(normalised)) return false;
  const { rest, found } = stripKeywords(normalised);
  // One stray word is allowed ("agent now", "人工 谢谢"); more means it is a sentence about something else.
  return found > 0 && leftover(rest) <= 1;
}

/**
 * Whether a button payload is the "talk to a person" choice.
 *
 * @example
 * ```ts
 * if (event.type === 'postback' && isHandoffPayload(event.payload)) await handoff.request(id, 'shopper asked');
 * ```
 */
export function isHandoffPayload(payload: string): boolean {
  return payload === HANDOFF_PAYLOAD;
}
