/**
 * When the bot should hand a conversation to a person on its own, pure: anger, distress or
 * repeated complaints in any supported language, operator rules (keywords, VIP shoppers, big
 * orders) and a streak of answers the bot was unsure about. The shopper asking for a person
 * and the model's `handoff_to_human` tool are handled by the bot itself.
 */
import { simplified } from '../language/han.js';
import { ARABIC_FOLDED, foldArabic, spellings as typedAs } from '../language/spelling.js';

/**
 * Words of anger, distress and complaint per language, lower case, matched inside text for
 * CJK/Thai and as whole words elsewhere (Arabic words may carry a proclitic: و، ف، ب، ل، ك، ال);
 * a trailing `*` marks a stem that may go on ("rezil*": rezillik). Anger counts 2 and is enough on
 * its own for a person; a complaint counts 1, so an ordinary question about a damaged parcel
 * stays with the bot unless it is shouted or repeated. Write entries with their accents (each
 * also matches without them), Chinese in Simplified characters (Traditional text is read as
 * Simplified) and Arabic in any spelling of alef, yeh and teh marbuta.
 */
const LEXICON: Readonly<Record<string, { anger: readonly string[]; complaint: readonly string[] }>> = {
  en: {
    anger: [
      'furious',
      'angry',
      'outraged',
      'ridiculous',
      'unacceptable',
      'disgusting',
      'disgusted',
      'scam',
      'scammers',
      'scammed',
      'fraud',
      'rip-off',
      'ripoff',
      'rip off',
      'useless',
      'worst',
      'terrible',
      'awful',
      'pathetic',
      'appalling',
      'appalled',
      'shocking',
      'horrible',
      'nightmare',
      'disgrace',
      'shame on you',
      'incompetent',
      'thieves',
      'thief',
      'you stole',
      'stole my',
      'theft',
      'liars',
      'lied to',
      'wtf',
      'ffs',
      'bullshit',
      'crap',
      'fed up',
      'sick of',
      'had enough',
      'pissed',
      'livid',
      'frustrated',
      'so upset',
      'really upset',
      'very upset',
      'am upset',
      'im upset',
      "i'm upset",
      'kidding me',
      'a joke',
      'complete joke',
      'total joke',
      'absolute joke',
      'beyond a joke',
      'losing my patience',
      'lost my patience',
      'file a complaint',
      'formal complaint',
      'lawyer',
      'sue you',
      'report you',
      'reporting you',
      'trading standards',
      'desperate',
      'crying',
      'never again',
      'never ordering',
      'never buying',
      'never shopping',
      'very disappointed',
      'so disappointed',
    ],
    complaint: [
      'complaint',
      'complain',
      'still not',
      'still no',
      'still nothing',
      'still waiting',
      'been waiting',
      'again',
      'nobody answer*',
      'no one answer*',
      'nobody repl*',
      'no one repl*',
      'nobody respond*',
      'no one respond*',
      'no reply',
      'no response',
      'ignoring me',
      'ignored',
      'third time',
      'second time',
      '3rd time',
      'broken',
      'damaged',
      'smashed',
      'stolen',
      'never arrived',
      'not received',
      'never received',
      'charged twice',
      'charged me twice',
      'double charged',
      'wrong item',
      'not as described',
      'nothing like',
      'disappointed',
      'annoyed',
      'annoying',
      'unhappy',
      'not happy',
      'rude',
    ],
  },
  zh: {
    anger: [
      '生气',
      '气死',
      '气到',
      '气人',
      '火大',
      '愤怒',
      '太差',
      '很差',
      '好差',
      '超差',
      '真差',
      '有够差',
      '差劲',
      '态度差',
      '垃圾',
      '破店',
      '什么破',
      '骗子',
      '骗钱',
      '诈骗',
      '诈欺',
      '欺骗',
      '坑人',
      '被坑',
      '太坑',
      '超坑',
      '黑店',
      '投诉',
      '客诉',
      '消协',
      '消保',
      '消基会',
      '12315',
      '无语',
      '受够',
      '受不了',
      '忍无可忍',
      '过分',
      '离谱',
      '太扯',
      '很扯',
      '好扯',
      '超扯',
      '有够扯',
      '傻眼',
      '恶心',
      '差评',
      '烂透',
      '太烂',
      '超烂',
      '很烂',
      '好烂',
      '真烂',
      '什么烂',
      '搞什么',
      '什么鬼',
      '退钱',
      '律师',
      '举报',
      '太失望',
      '崩溃',
      '再也不买',
      '再也不会买',
      '他妈的',
    ],
    complaint: [
      '又来了',
      '还没',
      '还是没',
      '第三次',
      '第二次',
      '一直没',
      '没人回',
      '不回复',
      '坏了',
      '破损',
      '烂',
      '没收到',
      '扣款两次',
      '扣了两次',
      '重复扣款',
      '怎么回事',
      '是怎样',
      '到底',
      '说好的',
      '不给退',
      '失望',
    ],
  },
  es: {
    anger: [
      'furios*',
      'enfadad*',
      'enojad*',
      'cabread*',
      'muy molesto',
      'muy molesta',
      'indignad*',
      'indignante',
      'inaceptable',
      'vergüenza',
      'vergonzoso',
      'falta de respeto',
      'estaf*',
      'fraude',
      'timo',
      'robo',
      'ladrones',
      'ladrón',
      'mentirosos',
      'engañad*',
      'engaño',
      'ridículo',
      'pésim*',
      'fatal',
      'horrible',
      'asco',
      'una burla',
      'tomadura de pelo',
      'harto',
      'harta',
      'hasta las narices',
      'hasta la madre',
      'abogado',
      'denunciar',
      'denuncia',
      'profeco',
      'desesperad*',
      'nunca más',
      'mierda',
    ],
    complaint: [
      'queja',
      'reclamación',
      'reclamo',
      'hoja de reclamaciones',
      'otra vez',
      'todavía no',
      'aún no',
      'nadie responde',
      'nadie contesta',
      'nadie me contesta',
      'nadie me responde',
      'sin respuesta',
      'ninguna solución',
      'sin solución',
      'roto',
      'rota',
      'dañado',
      'dañada',
      'nunca llegó',
      'no me llegó',
      'tercera vez',
      'segunda vez',
      'cobraron dos veces',
      'cobro doble',
      'doble cobro',
      'equivocado',
      'equivocada',
      'mal servicio',
      'decepcionad*',
    ],
  },
  fr: {
    anger: [
      'furieux',
      'furieuse',
      'en colère',
      'énervé*',
      'inacceptable',
      'inadmissible',
      'honteux',
      'honte',
      'scandal*',
      'arnaqu*',
      'escroquerie',
      'escrocs',
      'voleurs',
      'du vol',
      'ridicule',
      'nul',
      'nuls',
      'nulle',
      'lamentable',
      'pitoyable',
      'déplorable',
      'pourri',
      'catastroph*',
      'importe quoi',
      'foutage de gueule',
      'foutez',
      'moquez',
      'se moque',
      'une blague',
      "j'en ai marre",
      'marre',
      'peux plus',
      'dégoûté',
      'dégoûtée',
      'avocat',
      'porter plainte',
      'désespéré',
      'désespérée',
      'plus jamais',
      'merde',
      'putain',
    ],
    complaint: [
      'plainte',
      'réclamation',
      'encore',
      'toujours pas',
      'toujours rien',
      'personne ne répond',
      'aucune réponse',
      'sans réponse',
      'cassé',
      'cassée',
      'abîmé',
      'abîmée',
      'jamais reçu',
      'jamais reçue',
      'pas reçu',
      'jamais arrivé',
      'troisième fois',
      'deuxième fois',
      'débité deux fois',
      'prélevé deux fois',
      'retards',
      'agacé*',
      'déçu',
      'déçue',
    ],
  },
  de: {
    anger: [
      'wütend',
      'wuetend',
      'wut',
      'sauer',
      'stinksauer',
      'stocksauer',
      'verärgert',
      'veraergert',
      'unverschämt*',
      'unverschaemt*',
      'inakzeptabel',
      'frechheit',
      'zumutung',
      'skandal*',
      'betrug',
      'betrüger*',
      'betrueger*',
      'betrogen',
      'abzock*',
      'verarsch*',
      'lächerlich',
      'laecherlich',
      'ein witz',
      'das letzte',
      'saftladen',
      'katastroph*',
      'schlechteste',
      'schlechtester',
      'schlechtesten',
      'gehts noch',
      "geht's noch",
      'fassungslos',
      'anwalt',
      'verbraucherzentrale',
      'verzweifelt',
      'die nase voll',
      'unmöglich',
      'nie wieder',
      'scheiße',
      'scheisse',
    ],
    complaint: [
      'beschwerde',
      'reklamation',
      'schon wieder',
      'immer noch nicht',
      'immer noch kein',
      'immer noch keine',
      'niemand antwortet',
      'keiner antwortet',
      'keine antwort',
      'niemand meldet sich',
      'keiner meldet sich',
      'kaputt',
      'beschädigt',
      'beschaedigt',
      'nie angekommen',
      'nicht angekommen',
      'zum dritten mal',
      'zum zweiten mal',
      'zweimal abgebucht',
      'doppelt abgebucht',
      'schlecht',
      'schlechte',
      'schlechter',
      'noch nie erlebt',
      'ärgerlich',
      'enttäusch*',
      'enttaeusch*',
    ],
  },
  pt: {
    anger: [
      'furios*',
      'irritad*',
      'revoltad*',
      'indignad*',
      'inaceitável',
      'absurd*',
      'golpe',
      'golpist*',
      'fraude',
      'roubo',
      'ladrões',
      'ladrão',
      'enganação',
      'enganad*',
      'palhaçada',
      'piada',
      'sacanagem',
      'descaso',
      'desrespeito',
      'ridículo',
      'péssim*',
      'horrível',
      'vergonha',
      'raiva',
      'ódio',
      'saco cheio',
      'advogado',
      'procon',
      'reclame aqui',
      'desesperad*',
      'cansado disso',
      'cansada disso',
      'nunca mais',
      'porcaria',
      'merda',
    ],
    complaint: [
      'reclamação',
      'reclamar',
      'de novo',
      'ainda não',
      'ninguém responde',
      'ninguém me responde',
      'sem resposta',
      'quebrado',
      'quebrada',
      'danificado',
      'danificada',
      'nunca chegou',
      'não chegou',
      'nunca recebi',
      'terceira vez',
      'segunda vez',
      'cobraram duas vezes',
      'cobrança duplicada',
      'veio errado',
      'até agora nada',
      'cadê meu dinheiro',
      'decepcionad*',
    ],
  },
  ja: {
    anger: [
      '怒',
      'ふざけ',
      'ひどい',
      'ひどすぎ',
      '酷い',
      '最悪',
      '最低です',
      '最低な',
      '最低だ',
      '詐欺',
      '許せない',
      '信じられない',
      'ありえない',
      'あり得ない',
      'いい加減',
      '腹立',
      '腹が立',
      'ムカつく',
      'むかつく',
      'イライラ',
      '不愉快',
      '二度と',
      '弁護士',
      '訴え',
      '消費者センター',
      'うんざり',
      '困っています',
      '返金しろ',
      '金返せ',
    ],
    complaint: [
      '苦情',
      'クレーム',
      'またか',
      'まだ届',
      'まだ発送され',
      '何度も',
      '何回も',
      '何度問い',
      '壊れ',
      '破損',
      'ぐちゃぐちゃ',
      '届かない',
      '返事がない',
      '返信がない',
      '連絡がない',
      '二重に請求',
      '二重請求',
      '遅すぎ',
      '全然違う',
      'がっかり',
    ],
  },
  ko: {
    anger: [
      '화가',
      '화나',
      '화납',
      '열받',
      '짜증',
      '최악',
      '사기꾼',
      '사기치',
      '사기 아니',
      '사기당',
      '사기네',
      '사기야',
      '어이없',
      '어이가 없',
      '어처구니',
      '황당',
      '말도 안',
      '장난하',
      '장난해',
      '장난치',
      '미치겠',
      '속상',
      '답답',
      '엉망',
      '개판',
      '변호사',
      '고소할',
      '고소하겠',
      '법적 조치',
      '소비자원',
      '신고할',
      '신고하겠',
      '다시는',
      '실망',
    ],
    complaint: [
      '불만',
      '항의',
      '또야',
      '아직도',
      '몇 번을',
      '몇 번이나',
      '몇번을',
      '몇번이나',
      '파손',
      '고장',
      '찌그러',
      '안 왔',
      '못 받',
      '답이 없',
      '답변이 없',
      '연락이 없',
      '두 번 결제',
      '결제가 두 번',
      '이중 결제',
      '중복 결제',
      '잘못 왔',
      '잘못 배송',
      '불친절',
    ],
  },
  ru: {
    anger: [
      'возмущ*',
      'возмутительно',
      'злой',
      'зол',
      'зла',
      'бесит',
      'бесят',
      'бешенств*',
      'ужас',
      'ужасн*',
      'отвратительн*',
      'безобрази*',
      'издевательств*',
      'хамств*',
      'мошенни*',
      'обман',
      'обманщик*',
      'обманули',
      'развод',
      'позор*',
      'кошмар*',
      'бред',
      'жулик*',
      'воры',
      'сколько можно',
      'достали',
      'надоело',
      'юрист',
      'суд',
      'роспотребнадзор',
      'буду жаловаться',
      'отчаянии',
      'больше никогда',
      'никогда больше',
    ],
    complaint: [
      'жалоба',
      'претензия',
      'опять',
      'снова',
      'до сих пор',
      'никто не отвечает',
      'не отвечаете',
      'сломан*',
      'поврежд*',
      'разбит*',
      'не пришёл',
      'не пришел',
      'не пришла',
      'третий раз',
      'второй раз',
      'списали дважды',
      'дважды списали',
      'верните деньги',
      'верните мои деньги',
      'немедленно',
      'разочарован*',
    ],
  },
  ar: {
    anger: [
      'غاضب',
      'غاضبة',
      'زعلان',
      'زعلانة',
      'معصب',
      'معصبة',
      'سيء جدا',
      'سيئ جدا',
      'سيئة جدا',
      'أسوأ',
      'زفت',
      'سخيف',
      'سخيفة',
      'مهزلة',
      'فضيحة',
      'يفشل',
      'فاشل',
      'فاشلين',
      'نصب',
      'نصابين',
      'نصاب',
      'احتيال',
      'محتالين',
      'حرامية',
      'حرامي',
      'سرقة',
      'غش',
      'غشاشين',
      'كذابين',
      'غير مقبول',
      'مو معقول',
      'مش معقول',
      'غير معقول',
      'حرام عليكم',
      'حسبي الله',
      'قلة احترام',
      'مقرف',
      'قرفت',
      'قرفتوني',
      'زهقت',
      'تعبت',
      'محامي',
      'سأشتكي',
      'هشتكي',
      'حماية المستهلك',
      'مش هشتري',
      'لن أشتري',
      'ما راح اشتري',
    ],
    complaint: [
      'شكوى',
      'مرة أخرى',
      'مرة ثانية',
      'ثالث مرة',
      'ثاني مرة',
      'للمرة الثالثة',
      'لم يصل',
      'ما وصل',
      'ماوصل',
      'موصلش',
      'لا أحد يرد',
      'محد يرد',
      'محد رد',
      'محدش بيرد',
      'محدش رد',
      'ما حد رد',
      'مكسور',
      'مكسورة',
      'تالف',
      'تالفة',
      'خربان',
      'سيء',
      'سيئة',
      'مرتين',
      'لحد الآن',
      'للحين',
    ],
  },
  id: {
    anger: [
      'marah',
      'kesal',
      'kesel',
      'sebel',
      'jengkel',
      'emosi',
      'kecewa berat',
      'kecewa banget',
      'penipu*',
      'nipu',
      'menipu',
      'ketipu',
      'tertipu',
      'tidak masuk akal',
      'gak masuk akal',
      'ga masuk akal',
      'parah',
      'paling buruk',
      'buruk sekali',
      'buruk banget',
      'jelek banget',
      'payah',
      'sampah',
      'pengacara',
      'lapor',
      'laporin',
      'ylki',
      'capek',
      'muak',
      'nyesel',
      'menyesal',
      'kapok',
      'pusing',
      'ga bakal belanja',
      'gak bakal belanja',
      'tidak akan belanja',
      'ga bakal beli',
      'gak bakal beli',
    ],
    complaint: [
      'komplain',
      'keluhan',
      'lagi-lagi',
      'masih belum',
      'tidak ada yang balas',
      'ga ada yang bales',
      'gak ada yang bales',
      'nggak ada yang bales',
      'tidak dibalas',
      'berkali-kali',
      'rusak',
      'belum sampai',
      'tidak sampai',
      'kepotong dua kali',
      'terpotong dua kali',
      'ke-3 kalinya',
      'ketiga kalinya',
      'kedua kalinya',
      'tidak sesuai',
      'gak sesuai',
      'ga sesuai',
      'diem aja',
      'gimana sih',
      'kecewa',
      'buruk',
      'jelek',
      'lama banget',
      'lelet',
      'zonk',
      'rugi',
    ],
  },
  th: {
    anger: [
      'โกรธ',
      'โมโห',
      'หงุดหงิด',
      'เซ็ง',
      'เครียด',
      'แย่มาก',
      'แย่ที่สุด',
      'ห่วย',
      'ทุเรศ',
      'โกง',
      'หลอกลวง',
      'มิจฉาชีพ',
      'ไม่ยอมรับ',
      'ยอมรับไม่ได้',
      'รับไม่ได้จริง',
      'ทนายความ',
      'ฟ้อง',
      'สคบ',
      'ผิดหวังมาก',
      'รำคาญ',
      'ไม่ซื้ออีก',
    ],
    complaint: [
      'ร้องเรียน',
      'อีกแล้ว',
      'ยังไม่ได้',
      'ยังไม่มา',
      'ไม่มีใครตอบ',
      'หลายรอบ',
      'หลายครั้ง',
      'ครั้งที่สาม',
      'ครั้งที่สอง',
      'สองรอบ',
      'เสียหาย',
      'แตก',
      'พัง',
      'ไม่ได้รับ',
      'ส่งของผิด',
      'ไม่ตรงปก',
      'ช้ามาก',
      'ช้าขนาดนี้',
      'ผิดหวัง',
    ],
  },
  vi: {
    anger: [
      'tức giận',
      'tức quá',
      'tức thật',
      'tức ghê',
      'bực mình',
      'bực quá',
      'bực bội',
      'bức xúc',
      'tệ quá',
      'quá tệ',
      'rất tệ',
      'tệ hại',
      'tồi tệ',
      'dở tệ',
      'quá kém',
      'kém quá',
      'lừa đảo',
      'bị lừa',
      'lừa khách',
      'lừa tiền',
      'vô lý',
      'vô trách nhiệm',
      'không chấp nhận',
      'làm ăn chán',
      'làm ăn kiểu gì',
      'chán thật',
      'chán quá',
      'phát điên',
      'sốt ruột',
      'luật sư',
      'kiện tụng',
      'sẽ kiện',
      'hội người tiêu dùng',
      'bảo vệ người tiêu dùng',
      'thất vọng',
      'không bao giờ mua',
      'không bao giờ quay lại',
    ],
    complaint: [
      'khiếu nại',
      'phàn nàn',
      'lại nữa',
      'vẫn chưa',
      'không ai trả lời',
      'chẳng ai trả lời',
      'bị hỏng',
      'bị vỡ',
      'bị bể',
      'bể hết',
      'vỡ hết',
      'chưa nhận được',
      'mấy lần rồi',
      'nhiều lần rồi',
      'lần thứ 3',
      'lần thứ ba',
      'lần thứ 2',
      'lần thứ hai',
      'trừ tiền 2 lần',
      'trừ tiền hai lần',
      'giao sai',
      'khác hoàn toàn',
      'lâu quá',
      'chậm quá',
      'đợi mãi',
      'chờ mãi',
    ],
  },
  tr: {
    anger: [
      'sinirli',
      'sinirlen*',
      'sinir oldum',
      'kızgın*',
      'çok üzüldüm',
      'rezalet',
      'rezil*',
      'berbat',
      'iğrenç',
      'skandal',
      'dolandırıcı*',
      'dolandırıldım',
      'sahtekar*',
      'hırsız*',
      'kazık*',
      'saçmalık',
      'kabul edilemez',
      'yazık',
      'yazıklar olsun',
      'ayıp',
      'utanmaz*',
      'ne biçim',
      'avukat',
      'tüketici hakem',
      'şikayet edeceğim',
      'bıktım',
      'bıktık',
      'bir daha asla',
      'asla almam',
    ],
    complaint: [
      'şikayet',
      'yine',
      'hâlâ',
      'hala gelmedi',
      'kimse cevap vermiyor',
      'cevap yok',
      'dönüş yok',
      'kırık',
      'hasarlı',
      'kaç kere',
      'kaç kez',
      '3. kez',
      'üçüncü kez',
      'ikinci kez',
      'iki kere çekim',
      'iki kez çekim',
      'alakası yok',
      'memnun kalmadım',
      'memnun değilim',
      'paramı geri',
      'çok üzgünüm',
    ],
  },
};

/** Scripts written without spaces: words are matched inside the text. */
const unspaced = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\u0e00-\u0e7f]/u;
const ARABIC = /\p{Script=Arabic}/u;
/** What may open an Arabic word before a lexicon entry: و، ف، ب، ك، ل، ال and their usual combinations, هال. */
const ARABIC_PROCLITIC = '(?:هال|[وف]?(?:[بك]?ال|لل|[بكل])?)';

/** Alef with hamza or madda, teh marbuta, alef maksura, tatweel and vowel marks, as most shoppers type them. */

/**
 * A lexicon entry as a pattern, tried where the entry's first character is: a substring in
 * unspaced scripts; elsewhere a whole word (after a proclitic in Arabic), or the start of one
 * for a stem ("dolandırıcı*": dolandırıcılık, dolandırıcısınız).
 */
function entryPattern({ word, stem }: Entry): string {
  if (unspaced.test(word)) return escape(word);
  const before = ARABIC.test(word) ? `(?<=(?:^|[^\\p{L}\\p{N}])${ARABIC_PROCLITIC})` : '(?<![\\p{L}\\p{N}])';
  return `${before}${escape(word)}${stem ? '' : '(?![\\p{L}\\p{N}])'}`;
}

type Kind = 'anger' | 'complaint';

/** One lexicon entry. */
interface Entry {
  kind: Kind;
  word: string;
  /**
   * A whole word of a spaced script: its pattern only matches where no letter or digit precedes
   * (not Arabic, whose words may follow a proclitic).
   */
  wordStart: boolean;
  /** Written with a trailing `*`: the word may go on (inflections, suffixes). */
  stem: boolean;
  /** Compiled when first needed: most entries are never a candidate, and compiling all costs ~30 ms at start. */
  pattern?: RegExp;
}

/** A language's words of one kind as matched: Arabic folded, each Latin word also without accents, each once. */
function spellings(words: readonly string[]): string[] {
  return [...new Set(words.flatMap(typedAs))];
}

/** Every entry of every language; an entry listed in two languages counts twice, as it always has. */
const entries: readonly Entry[] = (['anger', 'complaint'] as const).flatMap((kind) =>
  Object.values(LEXICON).flatMap((l) =>
    spellings(l[kind]).map((written) => {
      const word = written.replace(/\*$/, '');
      return { kind, word, wordStart: !unspaced.test(word) && !ARABIC.test(word), stem: word !== written };
    }),
  ),
);

function patternOf(entry: Entry): RegExp {
  entry.pattern ??= new RegExp(entryPattern(entry), 'iuy');
  return entry.pattern;
}

/*
 * Running hundreds of patterns over every message is what made this check costly, and most
 * messages contain no entry at all. An entry can only match where the text shows its first two
 * characters (its only one, for 怒), compared as its `iu` pattern compares characters, and, for
 * a whole word, where no letter or digit comes before them. So the characters that open entries
 * are sorted into classes of case-insensitive equals, entries are filed under the classes of
 * their opening characters, and one pass over a message lists the few candidates, each where
 * its third character follows too. Their own patterns still decide, tried (sticky) only there,
 * so the counts are exactly what they were: each entry once if it occurs anywhere.
 */

/** Every character that opens an entry (its first three), each once. */
const openers = [...new Set(entries.flatMap((e) => [...e.word].slice(0, 3)))];

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
 * (bits 0-1), whether it is a letter or digit (bit 2: a whole word cannot start after one), its
 * script where the text must be brought to the lexicon's spelling first (bits 3-5), and its
 * opener class + 1 (bits 6 and up). Learnt on first sight of each character, so the case
 * conversions and tests run once per character rather than once per character of every message.
 */
const UNCASED = 1;
const LOWER = 2;
const UPPER = 3;
const CASE_BITS = 3;
const LETTER_OR_DIGIT_BIT = 4;
/** A Han character OpenCC writes differently in Simplified Chinese. */
const TRADITIONAL_BIT = 8;
const KANA_BIT = 16;
/** An Arabic letter the lexicon folds (alef with hamza, teh marbuta ...). */
const ARABIC_VARIANT_BIT = 32;
const CLASS_SHIFT = 6;
const HAN = /\p{Script=Han}/u;
const ARABIC_VARIANT = new RegExp(ARABIC_FOLDED.source, 'u');
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** Per UTF-16 code unit; 0 is not known yet (a known character always has a case). */
const infoOfUnit = new Int32Array(0x10000);
/** Per code point beyond the BMP (emoji, mostly), up to a bound. */
const infoOfAstral = new Map<number, number>();
const ASTRAL_MEMO_LIMIT = 10_000;

function readCharInfo(c: string): number {
  // Cased letters only: scripts without case (CJK, Arabic, Thai) neither shout nor whisper.
  const up = c.toUpperCase();
  const letterCase = up === c.toLowerCase() || !LETTER.test(c) ? UNCASED : c === up ? UPPER : LOWER;
  const script = HAN.test(c) ? (simplified(c) === c ? 0 : TRADITIONAL_BIT) : KANA.test(c) ? KANA_BIT : ARABIC_VARIANT.test(c) ? ARABIC_VARIANT_BIT : 0;
  return letterCase | (LETTER_OR_DIGIT.test(c) ? LETTER_OR_DIGIT_BIT : 0) | script | ((openerClass(c) + 1) << CLASS_SHIFT);
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

/** Marks of the entries already found in the current message (cleared after each). */
const found = new Uint8Array(entries.length);

/** The class of each entry's third character, or -1 for shorter entries. */
const thirdClass = entries.map((e) => {
  const third = [...e.word][2];
  return third === undefined ? -1 : (classOfOpener.get(third) ?? -1);
});

/**
 * Tries candidate entries where their opening characters start (`at`), keeping those that match;
 * `next` is the class of the character after the first two, or -1.
 */
function tryCandidates(indexes: readonly number[] | undefined, text: string, at: number, next: number, hits: number[]): void {
  if (!indexes) return;
  for (const index of indexes) {
    const entry = entries[index];
    if (found[index] || !entry) continue;
    const third = thirdClass[index] ?? -1;
    if (third >= 0 && third !== next) continue;
    const pattern = patternOf(entry);
    pattern.lastIndex = at;
    if (!pattern.test(text)) continue;
    found[index] = 1;
    hits.push(index);
  }
}

/** How many anger and complaint entries a text contains. */
function lexiconHits(text: string): Record<Kind, number> {
  const hits: number[] = [];
  // The previous character's class and start, and whether a letter or digit precedes it and the current one.
  let previous = -1;
  let previousAt = 0;
  let previousAtWordStart = true;
  let atWordStart = true;
  for (let i = 0; i < text.length; i++) {
    const at = i;
    const info = charInfo(text, i);
    if (isSurrogatePair(text, i)) i++;
    const k = (info >> CLASS_SHIFT) - 1;
    if (k >= 0) {
      const opened = opens[k] ?? 0;
      if (opened & filed.single.bit) tryCandidates(filed.single.entries.get(k), text, at, -1, hits);
      if (opened & filed.singleWord.bit && atWordStart) tryCandidates(filed.singleWord.entries.get(k), text, at, -1, hits);
    }
    if (k >= 0 && previous >= 0) {
      const opened = opens[previous] ?? 0;
      const pair = opened & filed.pair.bit ? filed.pair.entries.get(pairKey(previous, k)) : undefined;
      const pairWord = opened & filed.pairWord.bit && previousAtWordStart ? filed.pairWord.entries.get(pairKey(previous, k)) : undefined;
      if (pair || pairWord) {
        const next = i + 1 < text.length ? (charInfo(text, i + 1) >> CLASS_SHIFT) - 1 : -1;
        tryCandidates(pair, text, previousAt, next, hits);
        tryCandidates(pairWord, text, previousAt, next, hits);
      }
    }
    previous = k;
    previousAt = at;
    previousAtWordStart = atWordStart;
    atWordStart = (info & LETTER_OR_DIGIT_BIT) === 0;
  }
  const counts = { anger: 0, complaint: 0 };
  for (const index of hits) {
    found[index] = 0;
    const entry = entries[index];
    if (entry) counts[entry.kind]++;
  }
  return counts;
}

/**
 * A message in the lexicon's spelling: Traditional Chinese as Simplified (unless kana show it is
 * Japanese, which keeps its kanji), Arabic folded. Other text is matched as written.
 */
function lexiconSpelling(text: string, scripts: number): string {
  const spelled = scripts & TRADITIONAL_BIT && !(scripts & KANA_BIT) ? simplified(text) : text;
  return scripts & ARABIC_VARIANT_BIT ? foldArabic(spelled) : spelled;
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

const EXCLAMATIONS = /[!！¡?？؟]{3,}|[!！¡]{2,}/u;

/** Reads the signals of anger, distress and complaint in a message (any language). */
export function emotionSignals(text: string): EmotionSignals {
  // Shouting: capitals among the cased letters; and the scripts that need respelling.
  let letters = 0;
  let upper = 0;
  let scripts = 0;
  for (let i = 0; i < text.length; i++) {
    const info = charInfo(text, i);
    if (isSurrogatePair(text, i)) i++;
    scripts |= info & (TRADITIONAL_BIT | KANA_BIT | ARABIC_VARIANT_BIT);
    const letterCase = info & CASE_BITS;
    if (letterCase === UNCASED) continue;
    letters++;
    if (letterCase === UPPER) upper++;
  }
  const { anger, complaint } = lexiconHits(scripts ? lexiconSpelling(text, scripts) : text);
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
const CANCEL =
  /^(cancel|cancel it|never ?mind|nevermind|stop|forget it|no thanks|cancelar|olvídalo|olvidalo|annuler|laisse tomber|abbrechen|stornieren|vergiss es|esqueça|esqueca|キャンセル|やめます|취소|отмена|отменить|إلغاء|الغاء|batal|batalkan|ยกเลิก|hủy|huỷ|thôi|iptal|vazgeçtim|取消|算了|不用了)[.!。！\s]*$/iu;

/** Whether a shopper message cancels their request for a person ("cancel", "取消", "cancelar"). */
export function isCancel(text: string): boolean {
  return CANCEL.test(text.trim());
}
