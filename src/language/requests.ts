/**
 * Shoppers asking for a language in so many words: "/lang es", "English please", "请说中文",
 * "en español por favor", "日本語で". A request beats anything the text itself suggests, because
 * it is usually written in the language the shopper is leaving.
 */

/** How one language is named and asked for. */
interface RequestEntry {
	/** Base language code (BCP-47 primary subtag). */
	readonly code: string;
	/** Names of the language; a message that is only a name (plus courtesy words) asks for it. */
	readonly names: readonly string[];
	/** Phrases that ask for the language wherever they appear in a message. */
	readonly phrases: readonly string[];
}

const TABLE: readonly RequestEntry[] = [
	{
		code: "en",
		names: [
			"english",
			"inglés",
			"ingles",
			"anglais",
			"englisch",
			"inglese",
			"inglês",
			"engels",
			"angielski",
			"английский",
			"ingilizce",
			"英语",
			"英語",
			"영어",
			"tiếng anh",
			"bahasa inggris",
			"bahasa inggeris",
		],
		phrases: [
			"english please",
			"speak english",
			"english pls",
			"english plz",
			"en inglés",
			"in inglese",
			"auf englisch",
			"en anglais",
			"em inglês",
			"по-английски",
			"说英语",
			"說英語",
			"英語で",
			"영어로",
		],
	},
	{
		code: "es",
		names: ["español", "espanol", "spanish", "castellano"],
		phrases: [
			"en español",
			"en espanol",
			"habla español",
			"hablas español",
			"hablan español",
			"spanish please",
			"speak spanish",
		],
	},
	{
		code: "fr",
		names: ["français", "francais", "french"],
		phrases: [
			"en français",
			"en francais",
			"parlez français",
			"parles français",
			"parlez-vous français",
			"french please",
			"speak french",
		],
	},
	{
		code: "de",
		names: ["deutsch", "german"],
		phrases: [
			"auf deutsch",
			"sprechen sie deutsch",
			"sprichst du deutsch",
			"german please",
			"speak german",
		],
	},
	{
		code: "it",
		names: ["italiano", "italian"],
		phrases: [
			"in italiano",
			"parla italiano",
			"parli italiano",
			"italian please",
			"speak italian",
		],
	},
	{
		code: "pt",
		names: ["português", "portugues", "portuguese"],
		phrases: [
			"em português",
			"em portugues",
			"fala português",
			"falam português",
			"portuguese please",
			"speak portuguese",
		],
	},
	{
		code: "nl",
		names: ["nederlands", "dutch", "vlaams"],
		phrases: [
			"in het nederlands",
			"spreek nederlands",
			"spreekt u nederlands",
			"speak dutch",
		],
	},
	{
		code: "pl",
		names: ["polski", "polish"],
		phrases: ["po polsku", "speak polish"],
	},
	{
		code: "tr",
		names: ["türkçe", "turkce", "turkish"],
		phrases: ["türkçe konuş", "türkçe lütfen", "speak turkish"],
	},
	{
		code: "ru",
		names: ["русский", "russian"],
		phrases: ["по-русски", "по русски", "на русском", "speak russian"],
	},
	{
		code: "uk",
		names: ["українська", "ukrainian"],
		phrases: ["українською", "по-українськи", "speak ukrainian"],
	},
	{
		code: "ar",
		names: ["العربية", "عربي", "arabic"],
		phrases: ["بالعربي", "بالعربية", "speak arabic"],
	},
	{
		code: "he",
		names: ["עברית", "hebrew"],
		phrases: ["בעברית", "speak hebrew"],
	},
	{
		code: "fa",
		names: ["فارسی", "persian", "farsi"],
		phrases: ["به فارسی", "فارسی بنویس"],
	},
	{
		code: "hi",
		names: ["हिंदी", "हिन्दी", "hindi"],
		phrases: ["हिंदी में", "हिन्दी में", "speak hindi"],
	},
	{
		code: "th",
		names: ["ภาษาไทย", "thai"],
		phrases: ["พูดภาษาไทย", "เป็นภาษาไทย", "speak thai"],
	},
	{
		code: "vi",
		names: ["tiếng việt", "tieng viet", "vietnamese"],
		phrases: ["bằng tiếng việt", "nói tiếng việt", "speak vietnamese"],
	},
	{
		code: "id",
		names: ["bahasa indonesia", "indonesian", "indonesia"],
		phrases: [
			"pakai bahasa indonesia",
			"dalam bahasa indonesia",
			"speak indonesian",
		],
	},
	{
		code: "ms",
		names: ["bahasa melayu", "bahasa malaysia", "malay"],
		phrases: ["dalam bahasa melayu", "guna bahasa melayu", "speak malay"],
	},
	{
		code: "ja",
		names: ["日本語", "japanese", "nihongo"],
		phrases: ["日本語で", "日本語でお願い", "speak japanese"],
	},
	{
		code: "ko",
		names: ["한국어", "한국말", "korean"],
		phrases: ["한국어로", "한국말로", "speak korean"],
	},
	{
		code: "zh",
		names: [
			"中文",
			"汉语",
			"漢語",
			"普通话",
			"普通話",
			"华语",
			"華語",
			"chinese",
			"mandarin",
		],
		phrases: [
			"请说中文",
			"請說中文",
			"说中文",
			"說中文",
			"讲中文",
			"講中文",
			"用中文",
			"中文回答",
			"中文回复",
			"中文回覆",
			"speak chinese",
		],
	},
];

// Words around a bare language name that do not change the request ("English please?").
const COURTESY = [
	"please",
	"pls",
	"plz",
	"in",
	"speak",
	"can you speak",
	"do you speak",
	"por favor",
	"en",
	"em",
	"s'il vous plaît",
	"svp",
	"bitte",
	"auf",
	"per favore",
	"alsjeblieft",
	"lütfen",
	"proszę",
	"пожалуйста",
	"будь ласка",
	"tolong",
	"dalam",
	"bằng",
	"من فضلك",
	"בבקשה",
	"لطفا",
	"कृपया",
	"ครับ",
	"ค่ะ",
	"ok",
	"okay",
	"hi",
	"hello",
	"thanks",
	"thank you",
	"can you",
	"could you",
	"do you",
	"reply",
	"answer",
	"write",
	"talk",
	"only",
	"just",
	"puede",
	"puedes",
	"pueden",
	"hablar",
	"vous pouvez",
	"请",
	"請",
	"可以",
	"能",
	"吗",
	"嗎",
	"好吗",
	"好嗎",
	"吧",
	"谢谢",
	"謝謝",
	"麻烦",
	"麻煩",
	"お願いします",
	"ください",
	"주세요",
	"해주세요",
	"부탁합니다",
];

// Cheap gate: most messages name no language, and need no further work.
const MENTIONS_LANGUAGE = new RegExp(
	[...new Set(TABLE.flatMap((e) => [...e.names, ...e.phrases]))]
		.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
		.join("|"),
	"u",
);
const CJK =
	/[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/**
 * COURTESY prepared once: each word as it opens and closes a message, its first and last
 * characters (a word that shares neither with the message cannot be stripped, and is skipped),
 * and whether it is CJK (CJK words may touch the language name without a space).
 */
const COURTESY_WORDS = COURTESY.map((word) => ({
	word,
	opening: `${word} `,
	closing: ` ${word}`,
	first: word.charCodeAt(0),
	last: word.charCodeAt(word.length - 1),
	cjk: CJK.test(word),
}));

/**
 * TABLE as lookups, rather than a search through every name and phrase of every entry: the
 * first entry (in TABLE order) with a name or phrase spelled exactly so, and the CJK phrases
 * (which may sit inside a slightly longer message) with their entry, in TABLE order.
 */
const EXACT_ENTRY = new Map<string, number>();
const CJK_PHRASE_ENTRIES: { phrase: string; entry: number }[] = [];
TABLE.forEach((e, entry) => {
	for (const said of [...e.names, ...e.phrases])
		if (!EXACT_ENTRY.has(said)) EXACT_ENTRY.set(said, entry);
	for (const phrase of e.phrases)
		if (CJK.test(phrase)) CJK_PHRASE_ENTRIES.push({ phrase, entry });
});

const COMMAND =
	/^\/(?:lang|language|idioma|langue|sprache|lingua)\s+([a-z]{2,3}(?:[-_][a-z0-9]{2,8})*)\s*$/i;

/** A language asked for: a tag typed after /lang, or the base code of a named language. */
export interface LanguageRequest {
	readonly language: string;
	readonly via: "command" | "phrase";
}

/**
 * Finds an explicit request for a language in a message.
 *
 * @example
 * ```ts
 * findLanguageRequest('/lang zh-TW');          // { language: 'zh-TW', via: 'command' }
 * findLanguageRequest('en español por favor'); // { language: 'es', via: 'phrase' }
 * findLanguageRequest('Where is my order?');   // undefined
 * ```
 */
export function findLanguageRequest(text: string): LanguageRequest | undefined {
	const command = COMMAND.exec(text.trim());
	if (command?.[1])
		return { language: command[1].replace("_", "-"), via: "command" };
	if (text.length > 80 || !MENTIONS_LANGUAGE.test(text.toLowerCase()))
		return undefined;
	const core = stripCourtesy(normalise(text));
	if (core.length === 0 || core.length > 60) return undefined;
	const entry = TABLE[askedEntry(core)];
	return entry ? { language: entry.code, via: "phrase" } : undefined;
}

/**
 * The first TABLE entry the core asks for, or TABLE.length. Whole-message match, so "说英语很有用"
 * (speaking English is useful) is not a request; CJK phrases may carry two more characters
 * (请用中文回答 -> 用中文 + 回答).
 */
function askedEntry(core: string): number {
	const exact = EXACT_ENTRY.get(core) ?? TABLE.length;
	for (const { phrase, entry } of CJK_PHRASE_ENTRIES) {
		if (entry >= exact) break;
		if (core.length - phrase.length <= 2 && core.includes(phrase)) return entry;
	}
	return exact;
}

// Runs of punctuation and symbols become a space, except a lone `-` or `'` (inside words): runs
// of two or more, or one other character. No callback per run, and no match where nothing changes.
const PUNCTUATION = /[\p{P}\p{S}]{2,}|(?![-'])[\p{P}\p{S}]/gu;
// Whitespace runs become one space: runs of two or more, or one character other than a space.
const SPACING = /\s{2,}|[^\S ]/g;

function normalise(text: string): string {
	return text
		.normalize("NFC")
		.toLowerCase()
		.replace(PUNCTUATION, " ")
		.replace(SPACING, " ")
		.trim();
}

function stripCourtesy(normal: string): string {
	let core = normal;
	for (let changed = true; changed; ) {
		changed = false;
		for (const { word, opening, closing, first, last, cjk } of COURTESY_WORDS) {
			if (
				core.charCodeAt(0) !== first &&
				core.charCodeAt(core.length - 1) !== last
			)
				continue;
			if (core.startsWith(opening))
				[core, changed] = [core.slice(word.length + 1), true];
			if (core.endsWith(closing))
				[core, changed] = [core.slice(0, -word.length - 1), true];
			if (!cjk || core === word) continue;
			if (core.startsWith(word))
				[core, changed] = [core.slice(word.length).trim(), true];
			if (core.endsWith(word))
				[core, changed] = [core.slice(0, -word.length).trim(), true];
		}
	}
	return core;
}
