import type { Choice, Part } from './message.js';
import type { Localize, Translation, TranslatorPort } from './ports.js';

/**
 * The payload of the "talk to a person" button: a stable id, never translated. The bot and
 * the handoff recognise it; the core offers it wherever a shopper must be able to reach a
 * person (an answer that could not be given in their language).
 */
export const HANDOFF_PAYLOAD = 'handoff.request';

type Translate = (text: string) => Promise<Translation>;

/**
 * Translates what a shopper reads in a message (texts, captions, labels, card titles) and
 * nothing else: payload ids, URLs and prices pass through untouched.
 *
 * @example
 * ```ts
 * await translateParts([{ kind: 'choices', choices: [{ label: 'Yes', payload: 'yes' }] }], (t) => translator.translate(t, 'en', 'es'));
 * // [{ kind: 'choices', choices: [{ label: 'Sí', payload: 'yes' }] }]
 * ```
 */
async function translateParts(parts: readonly Part[], translate: Translate): Promise<Part[]> {
  const tr = async (text: string | undefined) => (text ? (await translate(text)).text : text);
  const choices = (list: Choice[]) => Promise.all(list.map(async (c) => ({ ...c, label: (await tr(c.label)) ?? c.label })));
  return Promise.all(
    parts.map(async (part): Promise<Part> => {
      switch (part.kind) {
        case 'text':
          return { ...part, text: (await tr(part.text)) ?? part.text };
        case 'image':
        case 'video':
        case 'file':
          return part.caption ? { ...part, caption: await tr(part.caption) } : part;
        case 'choices':
          return { ...part, choices: await choices(part.choices), ...(part.title ? { title: await tr(part.title) } : {}) };
        case 'card':
          return {
            ...part,
            title: (await tr(part.title)) ?? part.title,
            ...(part.subtitle ? { subtitle: await tr(part.subtitle) } : {}),
            ...(part.buttons ? { buttons: await choices(part.buttons) } : {}),
          };
        default:
          return part;
      }
    }),
  );
}

/** What {@link localizeParts} needs. */
export interface LocalizeOptions {
  /** The shopper's language. */
  to: string;
  /** The language of parts without their own `language` (text parts may name theirs). */
  from: string;
  translator: TranslatorPort;
  /** Fixed strings in the shopper's language (the note on what could not be translated). */
  t: Localize;
  conversationId?: string;
  /** Offer "talk to a person" with anything that could not be translated (bot answers). */
  offerPerson?: boolean;
}

/** Parts as the shopper reads them, and how they got there. */
export interface Localized {
  parts: Part[];
  /** The provider that translated something, if any did. */
  provider?: string;
  /** Something stayed in another language: `parts` open with a note saying so. */
  untranslated?: { language: string };
}

/**
 * Puts a message into the shopper's language: parts written in another language are
 * translated; parts already in the shopper's language (fixed strings from `locales/`, variants
 * of the knowledge base in their language) are never sent to a translator. What could not be
 * translated goes out as written, after a fixed note in the shopper's language that it is only
 * available in that language, and, for bot answers, with a way to reach a person. The one path
 * for bot answers, agent and API messages, and the console's preview of them.
 *
 * @example
 * ```ts
 * const out = await localizeParts([{ kind: 'text', text: 'Ships in 2 days.', language: 'en' }, { kind: 'text', text: '来源：发货' }], {
 *   to: 'zh-CN', from: 'zh-CN', translator: noTranslator, t, offerPerson: true,
 * });
 * // out.parts: ['抱歉，以下内容只有英语版本：', 'Ships in 2 days.', '来源：发货', (button) 转人工]
 * ```
 */
export async function localizeParts(parts: readonly Part[], options: LocalizeOptions): Promise<Localized> {
  const { to, translator } = options;
  let provider: string | undefined;
  let untranslated: string | undefined;
  const translate =
    (from: string) =>
    async (text: string): Promise<Translation> => {
      const result = await translator.translate(text, from, to, options.conversationId ? { conversationId: options.conversationId } : {});
      if (result.untranslated) untranslated ??= from;
      else if (result.provider !== 'none') provider ??= result.provider;
      return result;
    };
  const out: Part[] = [];
  for (const part of parts) {
    const from = (part.kind === 'text' ? part.language : undefined) ?? options.from;
    if (sameTag(from, to)) {
      out.push(part);
      continue;
    }
    let missed = false;
    const [translated] = await translateParts([part], async (text) => {
      const result = await translate(from)(text);
      missed ||= Boolean(result.untranslated);
      return result;
    });
    // A translated text is in the shopper's language now; one left as written keeps its own.
    if (translated) out.push(translated.kind === 'text' ? { ...translated, language: missed ? from : to } : translated);
  }
  const joined = joinTexts(untranslated ? withNote(out, untranslated, options) : out);
  return { parts: joined, ...(provider ? { provider } : {}), ...(untranslated ? { untranslated: { language: untranslated } } : {}) };
}

/**
 * Adjacent text parts with the same markup as one, a blank line apart: what `degrade` sends
 * as one message is stored and replayed as one. Their languages were only needed to translate.
 */
function joinTexts(parts: readonly Part[]): Part[] {
  const out: Part[] = [];
  for (const part of parts) {
    const tail = out.at(-1);
    if (part.kind === 'text' && tail?.kind === 'text' && (tail.markup ?? 'plain') === (part.markup ?? 'plain')) {
      const { language: _language, inline: _inline, ...joined } = { ...tail, text: `${tail.text}${part.inline ? '' : '\n\n'}${part.text}` };
      out[out.length - 1] = joined;
    } else {
      const { inline: _inline, ...rest } = part as Part & { inline?: boolean };
      out.push(rest as Part);
    }
  }
  return out;
}

/** The note first, then the message, then (for bot answers) a way to a person unless one is offered. */
function withNote(parts: Part[], language: string, options: LocalizeOptions): Part[] {
  const first = parts.find((p) => p.kind === 'text');
  const note: Part = {
    kind: 'text',
    text: options.t('bot.only_in_language', { language: languageName(language, options.to) }),
    ...(first?.kind === 'text' && first.markup ? { markup: first.markup } : {}),
  };
  const offered = parts.some((p) => p.kind === 'choices' && p.choices.some((c) => c.payload === HANDOFF_PAYLOAD));
  const person: Part[] =
    options.offerPerson && !offered ? [{ kind: 'choices', choices: [{ label: options.t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD }] }] : [];
  return [note, ...parts, ...person];
}

/**
 * A language's name in another language ("英语" for `en` in `zh-CN`), from `Intl.DisplayNames`:
 * the language without its region ("português", not "português (Brasil)"), except that Chinese
 * is named by its script ("简体中文", "繁體中文").
 *
 * @example
 * ```ts
 * languageName('en', 'de');       // 'Englisch'
 * languageName('zh-TW', 'zh-TW'); // '繁體中文'
 * ```
 */
export function languageName(language: string, inLanguage: string): string {
  const [base = language] = language.split(/[-_]/);
  const shown = base.toLowerCase() === 'zh' ? (/-(?:hant|tw|hk|mo)\b/i.test(language) ? 'zh-Hant' : 'zh-Hans') : base;
  try {
    return new Intl.DisplayNames([inLanguage, 'en'], { type: 'language' }).of(shown) ?? language;
  } catch {
    return language;
  }
}

function sameTag(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
