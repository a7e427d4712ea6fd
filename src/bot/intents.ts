/**
 * Recognises a shopper asking for a person, in many languages, without a model. The pipeline
 * checks this before the bot answers, so "human" never gets a knowledge-base article.
 */
import { fold, isCjk } from './text.js';

/** The payload of the "talk to a person" button; never translated. */
export const HANDOFF_PAYLOAD = 'handoff.request';

/** What a shopper says to reach a person, per language (folded form is not required). */
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
      /\b(talk|speak|chat)\s+(to|with)\s+(a|an|the|some|your)?\s*(real\s+|live\s+)?(human|person|agent|someone|somebody|representative|operator|staff)\b/,
      /\b(want|need|get\s+me|connect\s+me\s+(to|with)|transfer\s+me\s+to|put\s+me\s+through\s+to)\s+(a|an|the|some)?\s*(real\s+|live\s+)?(human|person|agent|representative|operator)\b/,
    ],
    keywords: ['human', 'a human', 'agent', 'live agent', 'real person', 'a person', 'person', 'customer service', 'customer support', 'representative', 'operator', 'human please'],
    fillers: ['please', 'pls', 'plz', 'i', 'want', 'need', 'would', 'like', 'to', 'a', 'an', 'the', 'can', 'could', 'get', 'me', 'talk', 'speak', 'with', 'now', 'connect', 'just', 'hi', 'hello', 'hey', 'real', 'live', 'some', 'ok', 'yes'],
  },
  zh: {
    requests: [/转人工|找人工|人工服务|人工客服|真人客服|(和|跟|找)(真人|客服|人工)(说|聊|谈|沟通)/],
    keywords: ['人工', '客服', '真人', '专人', '專人', '客服人员', '在线客服'],
    fillers: ['我要', '我想', '请', '请帮我', '帮我', '给我', '转', '找', '联系', '要', '接', '吧', '呢', '啊', '谢谢', '你好', '一下'],
  },
  es: {
    requests: [/\bhablar con (una persona|un humano|un agente|alguien|un asesor|un operador)\b/, /\b(quiero|necesito) (una persona|un humano|un agente|un asesor)\b/],
    keywords: ['humano', 'un humano', 'agente', 'un agente', 'persona real', 'una persona', 'asesor', 'atencion al cliente', 'operador'],
    fillers: ['quiero', 'necesito', 'hablar', 'con', 'un', 'una', 'por', 'favor', 'porfavor', 'me', 'puedes', 'pasar', 'hola', 'el', 'la'],
  },
  fr: {
    requests: [/\bparler (a|avec) (un|une|quelqu'?un|le|la)\s*(conseiller|conseillere|humain|personne|agent|operateur|service client)?\b/],
    keywords: ['conseiller', 'conseillere', 'humain', 'un humain', 'un agent', 'service client', 'une personne', 'operateur'],
    fillers: ['je', 'veux', 'voudrais', 'parler', 'a', 'un', 'une', 'avec', 's', 'il', 'vous', 'plait', 'svp', 'bonjour', 'le', 'la'],
  },
  de: {
    requests: [
      /\b(mit|zu) (einem|einer|jemandem)?\s*(menschen|mitarbeiter|mitarbeiterin|berater|beraterin|person)\s+(sprechen|reden)\b/,
      /\b(einen|eine) (mitarbeiter|mitarbeiterin|menschen) sprechen\b/,
      /\bmit (dem|einem|eurem|ihrem) (team|kundenservice|kundendienst|support) (chatten|sprechen|reden)\b/,
    ],
    keywords: ['mensch', 'menschen', 'mitarbeiter', 'mitarbeiterin', 'kundenservice', 'kundendienst', 'echter mensch', 'berater'],
    fillers: ['ich', 'mochte', 'will', 'mit', 'einem', 'einer', 'einen', 'sprechen', 'bitte', 'hallo', 'den', 'echten', 'dem', 'chatten'],
  },
  pt: {
    requests: [/\bfalar com (um atendente|uma atendente|uma pessoa|um humano|alguem|um agente)\b/],
    keywords: ['atendente', 'humano', 'atendimento', 'atendimento humano', 'pessoa real'],
    fillers: ['quero', 'falar', 'com', 'um', 'uma', 'por', 'favor', 'preciso', 'oi', 'ola', 'o'],
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
    requests: [/(поговорить|связаться) с (оператором|человеком|менеджером|живым человеком)/, /позовите (оператора|человека|менеджера)/],
    keywords: ['оператор', 'оператора', 'живой человек', 'человек', 'менеджер'],
    fillers: ['хочу', 'с', 'поговорить', 'пожалуйста', 'позовите', 'нужен', 'дайте', 'мне'],
  },
  ja: {
    requests: [/(オペレーター|担当者|人)(と話|に(つな|繋)いで|に代わって)/, /有人対応/],
    keywords: ['オペレーター', '担当者', '有人', 'スタッフ'],
    fillers: ['お願いします', 'おねがいします', 'ください', 'に', 'と', 'を', 'です'],
  },
  ko: {
    requests: [/(상담원|상담사|사람)(과|와|이랑|하고)?\s*(대화|통화|연결)/],
    keywords: ['상담원', '상담사', '사람'],
    fillers: ['연결', '해주세요', '해 주세요', '부탁합니다', '요', '주세요'],
  },
  ar: {
    requests: [/(التحدث|التكلم|أتحدث|اتحدث|أتكلم|اتكلم|تحدث|التواصل|أتواصل|اتواصل|كلمني)\s*(مع|إلى|الى|ل)\s*(موظف|شخص|إنسان|انسان|ممثل|مندوب|خدمة العملاء|بشري)/],
    keywords: ['موظف', 'خدمة العملاء', 'ممثل خدمة العملاء', 'شخص حقيقي', 'إنسان', 'انسان'],
    fillers: ['أريد', 'اريد', 'من', 'فضلك', 'لو', 'سمحت', 'مع', 'إلى', 'الى', 'ابغى', 'أبغى', 'مرحبا', 'التحدث', 'أتحدث'],
  },
  id: {
    requests: [/\b(bicara|berbicara|chat|ngobrol|ngomong|hubungkan saya|sambungkan saya)\s+(dengan|ke|sama)\s+(petugas|agen|cs|manusia|orang|admin|customer service|layanan pelanggan)\b/],
    keywords: ['petugas', 'agen', 'cs', 'admin', 'manusia', 'layanan pelanggan', 'customer service'],
    fillers: ['saya', 'mau', 'ingin', 'tolong', 'dengan', 'bicara', 'sama', 'ke', 'halo', 'kak', 'min', 'dong', 'bisa', 'minta', 'chat'],
  },
  th: {
    requests: [/(คุย|พูด|ติดต่อ|ต่อสาย|ขอสาย|โอนสาย)\s*(กับ|หา|ไปที่|ไปหา)?\s*(เจ้าหน้าที่|พนักงาน|แอดมิน|คนจริง|ฝ่ายบริการลูกค้า)/, /ขอ\s*(เจ้าหน้าที่|แอดมิน|พนักงาน|คนจริง)/, /^(เจ้าหน้าที่|แอดมิน|พนักงาน|คนจริง)\s*(ครับ|ค่ะ|คะ|หน่อย|ด้วย)*$/],
    keywords: ['เจ้าหน้าที่', 'แอดมิน', 'พนักงาน', 'คนจริง', 'ฝ่ายบริการลูกค้า'],
    fillers: ['ครับ', 'ค่ะ', 'คะ', 'หน่อย', 'ขอ', 'ด้วย'],
  },
  vi: {
    requests: [/\b(noi chuyen|chat|lien he|gap|ket noi|trao doi)\s+(voi\s+)?(nhan vien|tu van vien|nguoi that|mot nguoi|cham soc khach hang|cskh)\b/],
    keywords: ['nhan vien', 'nhan vien tu van', 'tu van vien', 'nguoi that', 'cskh', 'cham soc khach hang'],
    fillers: ['toi', 'muon', 'can', 'cho', 'gap', 'xin', 'vui', 'long', 'voi', 'chat', 'a', 'oi', 'em', 'ban', 'minh', 'ket', 'noi', 'chao'],
  },
  tr: {
    requests: [/\b(temsilci|musteri temsilcisi|canli destek|yetkili|bir insan|insan|biri)(y?le|y?la|ye|ya)?(\s+ile)?\s+(gorusmek|konusmak|baglan|baglanmak|baglayin|baglar misiniz)/],
    keywords: ['temsilci', 'musteri temsilcisi', 'canli destek', 'yetkili', 'musteri hizmetleri', 'gercek bir insan'],
    fillers: ['lutfen', 'istiyorum', 'bir', 'ile', 'merhaba', 'baglan', 'bana', 'beni', 'temsilciye', 'yetkiliye'],
  },
};

/**
 * Keyword patterns, longest first so "customer service" goes before "service" could. CJK
 * keywords match inside text (no spaces there); others only as whole words. Each keeps its
 * plain text too: a substring test rules most patterns out far more cheaply than running
 * them (a typical message contains none of the hundred or so keywords).
 */
const keywordPatterns: readonly { keyword: string; pattern: RegExp }[] = Object.values(HANDOFF)
  .flatMap((lang) => lang.keywords.map(fold))
  .sort((a, b) => b.length - a.length)
  .map((k) => ({ keyword: k, pattern: new RegExp(isCjk(k) ? k : `(?<=[^\\p{L}\\p{N}])${k}(?=[^\\p{L}\\p{N}])`, 'gu') }));
const fillers = new Set(Object.values(HANDOFF).flatMap((lang) => lang.fillers.map(fold)));
/** CJK fillers are removed as substrings, longest first. */
const cjkFillers = [...fillers].filter(isCjk).sort((a, b) => b.length - a.length);
const requests = Object.values(HANDOFF).flatMap((lang) => lang.requests);

/** Lower-cased, diacritics folded, punctuation as spaces, so "Parler à un conseiller !" matches. */
function normalise(text: string): string {
  // Marks stay (Thai vowels, Arabic and Devanagari signs are words' letters there); the dot
  // that lower-cased Turkish "İ" leaves behind goes.
  return fold(text).replace(/\u0307/g, '').replace(/[^\p{L}\p{M}\p{N}'\s]/gu, ' ').replace(/\s+/g, ' ').trim();
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
