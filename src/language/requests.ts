/**
 * Shoppers asking for a language in so many words: "/lang es", "English please", "请说中文",
 * "en español por favor", "日本語で", "한국어로 해주세요", "พูดภาษาไทยได้ไหม", "بالعربي لو سمحت".
 * A request beats anything the text itself suggests, because it is usually written in the
 * language the shopper is leaving.
 *
 * A message asks for a language when, once courtesy words ("please", "can you speak", "por
 * favor", "吗", "로", "ได้ไหม") are peeled off its ends, only a name of the language is left. So
 * "说英语很有用" (speaking English is useful) and "my son speaks English" are not requests.
 */
import { hanEvidence, hanVariant } from './han.js';
import { foldArabic, spellings } from './spelling.js';

/** How one language is named. */
interface RequestEntry {
  /** Base language code (BCP-47 primary subtag), or `zh-Hant` / `zh-Hans` for a Chinese script. */
  readonly code: string;
  /**
   * Names of the language as shoppers write them in the shop's languages: lower case, Latin
   * ones with their accents (each also counts without them), Arabic ones without the article
   * prefix بـ / بالـ (added here), Russian in the forms a request uses (на русском, по-русски).
   */
  readonly names: readonly string[];
}

const TABLE: readonly RequestEntry[] = [
  {
    code: 'en',
    names: [
      'english',
      'inglés',
      'anglais',
      'englisch',
      'inglese',
      'inglês',
      'engels',
      'angielski',
      'английский',
      'английском',
      'английски',
      'по-английски',
      'ingilizce',
      '英语',
      '英語',
      '英文',
      '영어',
      '영문',
      'tiếng anh',
      'bahasa inggris',
      'bahasa inggeris',
      'ภาษาอังกฤษ',
      'انجليزي',
      'الانجليزية',
      'انكليزي',
      'انقليزي',
      'الانجليزي',
    ],
  },
  {
    code: 'es',
    names: [
      'español',
      'spanish',
      'castellano',
      'espagnol',
      'spanisch',
      'spagnolo',
      'espanhol',
      'испанский',
      'испанском',
      'испански',
      'по-испански',
      'ispanyolca',
      '西班牙语',
      '西班牙語',
      '西班牙文',
      'スペイン語',
      '스페인어',
      'tiếng tây ban nha',
      'bahasa spanyol',
      'ภาษาสเปน',
      'اسباني',
      'الاسبانية',
      'الاسباني',
    ],
  },
  {
    code: 'fr',
    names: [
      'français',
      'french',
      'francés',
      'französisch',
      'francese',
      'francês',
      'французский',
      'французском',
      'французски',
      'по-французски',
      'fransızca',
      '法语',
      '法語',
      '法文',
      'フランス語',
      '프랑스어',
      '불어',
      'tiếng pháp',
      'bahasa prancis',
      'bahasa perancis',
      'ภาษาฝรั่งเศส',
      'فرنسي',
      'الفرنسية',
      'الفرنسي',
    ],
  },
  {
    code: 'de',
    names: [
      'deutsch',
      'german',
      'alemán',
      'allemand',
      'tedesco',
      'alemão',
      'немецкий',
      'немецком',
      'немецки',
      'по-немецки',
      'almanca',
      '德语',
      '德語',
      '德文',
      'ドイツ語',
      '독일어',
      'tiếng đức',
      'bahasa jerman',
      'ภาษาเยอรมัน',
      'الماني',
      'الالمانية',
      'الالماني',
    ],
  },
  {
    code: 'it',
    names: [
      'italiano',
      'italian',
      'italien',
      'italienisch',
      'итальянский',
      'итальянском',
      'по-итальянски',
      'italyanca',
      '意大利语',
      '義大利文',
      'イタリア語',
      '이탈리아어',
      'tiếng ý',
      'bahasa italia',
      'ภาษาอิตาลี',
      'ايطالي',
      'الايطالية',
    ],
  },
  {
    code: 'pt',
    names: [
      'português',
      'portuguese',
      'portugués',
      'portugais',
      'portugiesisch',
      'portoghese',
      'brazilian portuguese',
      'português brasileiro',
      'português do brasil',
      'португальский',
      'португальском',
      'португальски',
      'по-португальски',
      'portekizce',
      '葡萄牙语',
      '葡萄牙語',
      '葡萄牙文',
      'ポルトガル語',
      '포르투갈어',
      'tiếng bồ đào nha',
      'bahasa portugis',
      'ภาษาโปรตุเกส',
      'برتغالي',
      'البرتغالية',
      'البرتغالي',
    ],
  },
  { code: 'nl', names: ['nederlands', 'dutch', 'vlaams', 'in het nederlands', 'neerlandés', 'néerlandais', 'niederländisch', 'holländisch', 'holandês'] },
  { code: 'pl', names: ['polski', 'polish', 'po polsku', 'polaco', 'polonais', 'polnisch', 'polonês', 'польский', 'по-польски'] },
  {
    code: 'tr',
    names: [
      'türkçe',
      'turkish',
      'turco',
      'turc',
      'türkisch',
      'турецкий',
      'турецком',
      'турецки',
      'по-турецки',
      '土耳其语',
      '土耳其語',
      '土耳其文',
      'トルコ語',
      '터키어',
      '튀르키예어',
      'tiếng thổ nhĩ kỳ',
      'bahasa turki',
      'ภาษาตุรกี',
      'تركي',
      'التركية',
      'التركي',
    ],
  },
  {
    code: 'ru',
    names: [
      'русский',
      'русском',
      'русски',
      'по-русски',
      'russian',
      'ruso',
      'russe',
      'russisch',
      'russo',
      'rusça',
      '俄语',
      '俄語',
      '俄文',
      'ロシア語',
      '러시아어',
      'tiếng nga',
      'bahasa rusia',
      'ภาษารัสเซีย',
      'روسي',
      'الروسية',
      'الروسي',
    ],
  },
  {
    code: 'uk',
    names: ['українська', 'українською', 'по-українськи', 'ukrainian', 'ucraniano', 'ukrainien', 'ukrainisch', 'украинский', 'украинском', 'по-украински'],
  },
  {
    code: 'ar',
    names: [
      'عربي',
      'العربية',
      'العربي',
      'arabic',
      'árabe',
      'arabe',
      'arabisch',
      'arabo',
      'арабский',
      'арабском',
      'арабски',
      'по-арабски',
      'arapça',
      '阿拉伯语',
      '阿拉伯語',
      '阿拉伯文',
      'アラビア語',
      '아랍어',
      'tiếng ả rập',
      'bahasa arab',
      'ภาษาอาหรับ',
    ],
  },
  { code: 'he', names: ['עברית', 'בעברית', 'hebrew', 'hebreo', 'hébreu', 'hebräisch', 'иврит', 'на иврите'] },
  { code: 'fa', names: ['فارسی', 'persian', 'farsi', 'persa', 'persan', 'persisch'] },
  { code: 'hi', names: ['हिंदी', 'हिन्दी', 'hindi'] },
  {
    code: 'th',
    names: [
      'ภาษาไทย',
      'thai',
      'tailandés',
      'thaï',
      'thailändisch',
      'tailandese',
      'tailandês',
      'тайский',
      'тайском',
      'по-тайски',
      'tayca',
      '泰语',
      '泰語',
      '泰文',
      'タイ語',
      '태국어',
      'tiếng thái',
      'bahasa thailand',
      'bahasa thai',
      'تايلاندي',
      'التايلاندية',
      'التايلندي',
    ],
  },
  {
    code: 'vi',
    names: [
      'tiếng việt',
      'vietnamese',
      'vietnamita',
      'vietnamien',
      'vietnamesisch',
      'vietnamita',
      'вьетнамский',
      'вьетнамском',
      'по-вьетнамски',
      'vietnamca',
      '越南语',
      '越南語',
      '越南文',
      'ベトナム語',
      '베트남어',
      'bahasa vietnam',
      'ภาษาเวียดนาม',
      'فيتنامي',
      'الفيتنامية',
      'الفيتنامي',
    ],
  },
  {
    code: 'id',
    names: [
      'bahasa indonesia',
      'indonesian',
      'indonesia',
      'indonesio',
      'indonésien',
      'indonesisch',
      'indonesiano',
      'indonésio',
      'индонезийский',
      'индонезийском',
      'по-индонезийски',
      'endonezce',
      '印尼语',
      '印尼語',
      '印尼文',
      '印度尼西亚语',
      'インドネシア語',
      '인도네시아어',
      'tiếng indonesia',
      'ภาษาอินโดนีเซีย',
      'اندونيسي',
      'الاندونيسية',
      'الاندونيسي',
    ],
  },
  { code: 'ms', names: ['bahasa melayu', 'bahasa malaysia', 'malay', 'malayo', 'malais', 'malaiisch', 'малайский', 'melayu'] },
  {
    code: 'ja',
    names: [
      '日本語',
      'japanese',
      'nihongo',
      'japonés',
      'japonais',
      'japanisch',
      'giapponese',
      'japonês',
      'японский',
      'японском',
      'японски',
      'по-японски',
      'japonca',
      '日语',
      '日語',
      '日文',
      '일본어',
      'tiếng nhật',
      'bahasa jepang',
      'ภาษาญี่ปุ่น',
      'ياباني',
      'اليابانية',
      'الياباني',
    ],
  },
  {
    code: 'ko',
    names: [
      '한국어',
      '한국말',
      '한글',
      'korean',
      'coreano',
      'coréen',
      'koreanisch',
      'корейский',
      'корейском',
      'корейски',
      'по-корейски',
      'korece',
      '韩语',
      '韓語',
      '韩文',
      '韓文',
      '韓国語',
      'tiếng hàn',
      'tiếng hàn quốc',
      'bahasa korea',
      'ภาษาเกาหลี',
      'كوري',
      'الكورية',
      'الكوري',
    ],
  },
  {
    code: 'zh-Hant',
    names: [
      'traditional chinese',
      'chinese traditional',
      '繁體中文',
      '繁体中文',
      '中文繁體',
      '繁體',
      '繁体',
      '繁中',
      '正體中文',
      'chino tradicional',
      'chinois traditionnel',
      'traditionelles chinesisch',
      'chinês tradicional',
      '繁体字',
      '번체 중국어',
      'tiếng trung phồn thể',
    ],
  },
  {
    code: 'zh-Hans',
    names: [
      'simplified chinese',
      'chinese simplified',
      '简体中文',
      '簡體中文',
      '中文简体',
      '简体',
      '簡體',
      '简中',
      'chino simplificado',
      'chinois simplifié',
      'vereinfachtes chinesisch',
      'chinês simplificado',
      '簡体字',
      '간체 중국어',
      'tiếng trung giản thể',
    ],
  },
  {
    code: 'zh',
    names: [
      '中文',
      '汉语',
      '漢語',
      '普通话',
      '普通話',
      '华语',
      '華語',
      '国语',
      '國語',
      'chinese',
      'mandarin',
      'chino',
      'chinois',
      'chinesisch',
      'cinese',
      'chinês',
      'китайский',
      'китайском',
      'китайски',
      'по-китайски',
      'çince',
      '中国語',
      '중국어',
      'tiếng trung',
      'tiếng trung quốc',
      'tiếng hoa',
      'bahasa mandarin',
      'bahasa cina',
      'bahasa china',
      'bahasa tionghoa',
      'ภาษาจีน',
      'صيني',
      'الصينية',
      'الصيني',
    ],
  },
];

/**
 * Words around a name that do not change the request ("English please?", "can you speak",
 * "por favor", "konuşabilir misiniz"), lower case, Latin ones also counted without accents.
 * Words in scripts without spaces (Chinese, Japanese, Thai) and Korean particles may touch
 * the name: 请说中文, 英語で, 영어로, พูดภาษาไทยได้ไหม.
 */
const COURTESY = [
  // English
  'please',
  'pls',
  'plz',
  'in',
  'to',
  'speak',
  'can you speak',
  'do you speak',
  'can you',
  'could you',
  'would you',
  'do you',
  'can we',
  'reply',
  'answer',
  'write',
  'talk',
  'chat',
  'only',
  'just',
  'ok',
  'okay',
  'hi',
  'hello',
  'thanks',
  'thank you',
  'switch',
  'change',
  'language',
  "let's",
  // Spanish, Portuguese, French, Italian, German, Dutch, Polish
  'por favor',
  'porfa',
  'porfavor',
  'en',
  'habla',
  'hablas',
  'hablan',
  'hablar',
  'puede',
  'puedes',
  'pueden',
  'escribir',
  'escribirme',
  'escríbeme',
  'responder',
  'respóndeme',
  'contestar',
  'hola',
  'gracias',
  'me',
  'sí',
  'em',
  'fala',
  'falam',
  'falar',
  'pode',
  'podem',
  'pode ser',
  'vocês',
  'vcs',
  'você',
  'vc',
  'tem como',
  'escrever',
  'responde',
  'pfv',
  'pf',
  'oi',
  'olá',
  'obrigado',
  'obrigada',
  'pra',
  'para',
  "s'il vous plaît",
  "s'il te plaît",
  'svp',
  'stp',
  'parlez',
  'parles',
  'parlez-vous',
  'vous parlez',
  'tu parles',
  'parler',
  'pouvez-vous',
  'pouvez vous',
  'vous pouvez',
  'tu peux',
  'répondre',
  'répondez',
  'écrire',
  'bonjour',
  'merci',
  'oui',
  'per favore',
  'parla',
  'parli',
  'parlare',
  'bitte',
  'auf',
  'sprechen sie',
  'sprichst du',
  'sprecht ihr',
  'können sie',
  'kannst du',
  'könnt ihr',
  'antworten',
  'schreiben',
  'sprechen',
  'geht das',
  'geht das auch',
  'auch',
  'gerne',
  'hallo',
  'danke',
  'alsjeblieft',
  'spreek',
  'spreekt u',
  'proszę',
  // Russian, Ukrainian
  'пожалуйста',
  'можно',
  'а можно',
  'говорите',
  'говоришь',
  'вы говорите',
  'пишите',
  'напишите',
  'ответьте',
  'давайте',
  'на',
  'по',
  'спасибо',
  'здравствуйте',
  'будь ласка',
  // Arabic, Hebrew, Persian, Hindi
  'من فضلك',
  'لو سمحت',
  'ممكن',
  'تكلم',
  'تتكلم',
  'تكلمني',
  'كلمني',
  'تحدث',
  'تتحدث',
  'اتكلم',
  'نتكلم',
  'اكتب',
  'رد',
  'باللغة',
  'اللغة',
  'ابغى',
  'ابي',
  'عايز',
  'بدي',
  'شكرا',
  'مرحبا',
  'معي',
  'בבקשה',
  'لطفا',
  'به',
  'بنویس',
  'कृपया',
  'में',
  // Indonesian, Malay, Vietnamese, Turkish
  'tolong',
  'dalam',
  'pakai',
  'pake',
  'bisa',
  'ya',
  'dong',
  'aja',
  'balas',
  'jawab',
  'ngomong',
  'bicara',
  'guna',
  'gunakan',
  'kak',
  'min',
  'halo',
  'makasih',
  'terima kasih',
  'mohon',
  'ganti',
  'ke',
  'bằng',
  'nói',
  'được không',
  'được ko',
  'đc không',
  'đi',
  'nhé',
  'nha',
  'ạ',
  'giúp mình',
  'giúp em',
  'giúp tôi',
  'trả lời',
  'shop',
  'bạn',
  'có thể',
  'xin',
  'vui lòng',
  'chuyển sang',
  'dùng',
  'không',
  'lütfen',
  'konuş',
  'konuşun',
  'konuşalım',
  'konuşabilir misiniz',
  'konuşabilir misin',
  'konuşur musunuz',
  'yazar mısınız',
  'yazabilir misiniz',
  'yazın',
  'cevap verir misiniz',
  'mı',
  'merhaba',
  'teşekkürler',
  // Chinese, Japanese, Korean, Thai: these may touch the name
  '请',
  '請',
  '可以',
  '能',
  '能不能',
  '可不可以',
  '吗',
  '嗎',
  '好吗',
  '好嗎',
  '吧',
  '呢',
  '谢谢',
  '謝謝',
  '麻烦',
  '麻煩',
  '说',
  '說',
  '讲',
  '講',
  '用',
  '回答',
  '回复',
  '回覆',
  '我要',
  '我想',
  '改成',
  '换成',
  '換成',
  '会',
  '會',
  '你',
  '您',
  '交流',
  '沟通',
  '溝通',
  '聊',
  'で',
  'お願いします',
  'おねがいします',
  'お願い',
  'お願いできますか',
  'ください',
  '話せますか',
  '話せる',
  'できますか',
  'に切り替えて',
  '対応',
  '可能ですか',
  'ですか',
  '로',
  '으로',
  '요',
  '해주세요',
  '해 주세요',
  '해줘요',
  '해줘',
  '주세요',
  '부탁드려요',
  '부탁해요',
  '부탁합니다',
  '가능한가요',
  '가능해요',
  '되나요',
  '돼요',
  '말해주세요',
  'ครับ',
  'ค่ะ',
  'คะ',
  'นะ',
  'ได้ไหม',
  'ได้มั้ย',
  'ขอ',
  'เป็น',
  'พูด',
  'ตอบ',
  'คุย',
  'หน่อย',
  'ด้วย',
  'ช่วย',
  'ใช้',
  'กรุณา',
];

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const ARABIC = /[\u0600-\u06ff]/;
const HAS_KANA_OR_HANGUL = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Each name as matched, with its entry (the first entry, in TABLE order, that lists it). */
const NAME_ENTRY = new Map<string, number>();
TABLE.forEach((e, entry) => {
  for (const name of e.names.flatMap(spellings))
    for (const said of ARABIC.test(name) ? [name, ...withArticle(name)] : [name]) if (!NAME_ENTRY.has(said)) NAME_ENTRY.set(said, entry);
});

/** بالعربي، بالعربية: an Arabic name after "in" (بـ, with the article بالـ when the name has none). */
function withArticle(name: string): string[] {
  return name.startsWith('ال') ? [`ب${name}`] : [`بال${name}`, `ال${name}`];
}

const LATIN_SCRIPT = 1;
const CYRILLIC_SCRIPT = 2;
const ARABIC_SCRIPT = 4;
const THAI_SCRIPT = 8;
const CJK_SCRIPT = 16;
const HANGUL_SCRIPT = 32;
const OTHER_SCRIPT = 64;
/** Not a script: a combining accent (decomposed text, or the dot of a lower-cased "İ"). */
const COMBINING_MARK = 128;

/**
 * The script of a UTF-16 unit, as a bit: names are looked for by the script they open with,
 * and only in text that has it (one pattern of all names is several times slower on text
 * that is not plain Latin, as V8 drops non-Latin-1 alternatives for Latin-1 strings only).
 */
function scriptBit(unit: number): number {
  if (unit >= 0x0300 && unit < 0x0370) return COMBINING_MARK;
  if (unit < 0x0370 || (unit >= 0x1e00 && unit < 0x1f00)) return LATIN_SCRIPT;
  if (unit < 0x0530) return CYRILLIC_SCRIPT; // and Greek
  if (unit >= 0x0600 && unit < 0x0700) return ARABIC_SCRIPT;
  if (unit >= 0x0e00 && unit < 0x0e80) return THAI_SCRIPT;
  if (unit >= 0x3040 && unit < 0xa000) return CJK_SCRIPT;
  if (unit >= 0xac00 && unit < 0xd7b0) return HANGUL_SCRIPT;
  return OTHER_SCRIPT;
}

// Cheap gate: most messages name no language, and need no further work.
const NAMES_BY_SCRIPT = new Map<number, RegExp>();
for (const bit of [LATIN_SCRIPT, CYRILLIC_SCRIPT, ARABIC_SCRIPT, THAI_SCRIPT, CJK_SCRIPT, HANGUL_SCRIPT, OTHER_SCRIPT]) {
  const names = [...NAME_ENTRY.keys()].filter((n) => scriptBit(n.charCodeAt(0)) === bit);
  const pattern = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  if (pattern) NAMES_BY_SCRIPT.set(bit, new RegExp(pattern));
}

/** The scripts of a text as bits (Latin always: Latin names are looked for everywhere). */
function scriptsOf(text: string): number {
  let scripts = LATIN_SCRIPT;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x80) scripts |= scriptBit(unit);
  }
  return scripts;
}

function mentionsLanguage(spelled: string, scripts: number): boolean {
  for (const [bit, names] of NAMES_BY_SCRIPT) if (scripts & bit && names.test(spelled)) return true;
  return false;
}

/**
 * COURTESY prepared once: each word as it opens and closes a message, its first and last
 * characters (a word that shares neither with the message cannot be stripped, and is skipped),
 * and whether it may touch the name.
 */
const COURTESY_WORDS = [...new Set(COURTESY.flatMap(spellings))]
  // Longest first: "해주세요" goes before "요" could take its tail.
  .sort((x, y) => y.length - x.length)
  .map((word) => ({
    word,
    opening: `${word} `,
    closing: ` ${word}`,
    first: word.charCodeAt(0),
    last: word.charCodeAt(word.length - 1),
    touching: UNSPACED.test(word),
  }));

const COMMAND = /^\/(?:lang|language|idioma|langue|sprache|lingua|dil|bahasa|язык)\s+([a-z]{2,3}(?:[-_][a-z0-9]{2,8})*)\s*$/i;

/** A language asked for: a tag typed after /lang, or the base code of a named language. */
export interface LanguageRequest {
  /** A BCP-47 tag; for Chinese asked for in words, `zh-Hant` or `zh-Hans` when the request shows a script. */
  readonly language: string;
  readonly via: 'command' | 'phrase';
}

/**
 * Finds an explicit request for a language in a message.
 *
 * @example
 * ```ts
 * findLanguageRequest('/lang zh-TW');          // { language: 'zh-TW', via: 'command' }
 * findLanguageRequest('en español por favor'); // { language: 'es', via: 'phrase' }
 * findLanguageRequest('請說中文');              // { language: 'zh-Hant', via: 'phrase' }
 * findLanguageRequest('Where is my order?');   // undefined
 * ```
 */
export function findLanguageRequest(text: string): LanguageRequest | undefined {
  const command = COMMAND.exec(text.trim());
  if (command?.[1]) return { language: command[1].replace('_', '-'), via: 'command' };
  if (text.length > 80) return undefined;
  const lower = text.toLowerCase();
  const scripts = scriptsOf(lower);
  const spelled = spell(lower, scripts);
  if (!mentionsLanguage(spelled, scripts)) return undefined;
  const core = stripCourtesy(normalise(spelled));
  if (core.length === 0 || core.length > 60) return undefined;
  const entry = TABLE[NAME_ENTRY.get(core) ?? TABLE.length];
  if (!entry) return undefined;
  return { language: entry.code === 'zh' ? chineseIn(text) : entry.code, via: 'phrase' };
}

/**
 * Chinese as the request's own script shows it: 請說中文 asks for Traditional, 请说中文 for
 * Simplified; "中文", "Chinese" or 中国語でお願いします say nothing about the script.
 */
function chineseIn(text: string): string {
  if (HAS_KANA_OR_HANGUL.test(text)) return 'zh';
  const variant = hanVariant(hanEvidence(text));
  return variant ? `zh-${variant}` : 'zh';
}

// Runs of punctuation and symbols become a space, except a lone `-` or `'` (inside words): runs
// of two or more, or one other character. No callback per run, and no match where nothing changes.
const PUNCTUATION = /[\p{P}\p{S}]{2,}|(?![-'])[\p{P}\p{S}]/gu;
// Whitespace runs become one space: runs of two or more, or one character other than a space.
const SPACING = /\s{2,}|[^\S ]/g;
// Curly apostrophes as typed on phones ("s’il vous plaît").
const APOSTROPHES = /[\u2018\u2019\u02bc]/g;

/**
 * Lower-cased text composed (some keyboards send Vietnamese decomposed), without the dot that
 * lower-cased Turkish "İ" leaves, Arabic letters folded as the names are.
 */
function spell(lower: string, scripts: number): string {
  const composed = scripts & COMBINING_MARK ? lower.normalize('NFC').replace(/\u0307/g, '') : lower;
  return scripts & ARABIC_SCRIPT ? foldArabic(composed) : composed;
}

function normalise(spelled: string): string {
  return spelled.replace(APOSTROPHES, "'").replace(PUNCTUATION, ' ').replace(SPACING, ' ').trim();
}

/**
 * The message without the courtesy words around it, stopping as soon as what is left is a name
 * (so "nha" is not taken from "tiếng tây ban nha").
 */
function stripCourtesy(normal: string): string {
  let core = normal;
  for (let changed = !NAME_ENTRY.has(core); changed;) {
    changed = false;
    for (const courtesy of COURTESY_WORDS) {
      const rest = stripOne(core, courtesy);
      if (rest === core) continue;
      if (NAME_ENTRY.has(rest)) return rest;
      [core, changed] = [rest, true];
    }
  }
  return core;
}

/** The core without one courtesy word at its start or end, or the core itself. */
function stripOne(core: string, courtesy: (typeof COURTESY_WORDS)[number]): string {
  const { word, opening, closing, first, last, touching } = courtesy;
  if (core.charCodeAt(0) !== first && core.charCodeAt(core.length - 1) !== last) return core;
  if (core.startsWith(opening)) return core.slice(word.length + 1);
  if (core.endsWith(closing)) return core.slice(0, -word.length - 1);
  if (!touching || core === word) return core;
  if (core.startsWith(word)) return core.slice(word.length).trim();
  if (core.endsWith(word)) return core.slice(0, -word.length).trim();
  return core;
}
