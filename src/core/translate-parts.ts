import type { Choice, Part } from './message.js';
import type { Translation } from './ports.js';

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
export async function translateParts(parts: readonly Part[], translate: Translate): Promise<Part[]> {
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

/**
 * Adds a note (e.g. "we could not translate this") to the last text the shopper reads, or as a
 * text of its own when the message has none.
 *
 * @example
 * ```ts
 * appendNote([{ kind: 'text', text: '您的订单已发货' }], t('bot.untranslated_note'));
 * // [{ kind: 'text', text: '您的订单已发货\n\n(No hemos podido traducir ...)' }]
 * ```
 */
export function appendNote(parts: readonly Part[], note: string): Part[] {
  const last = parts.map((p) => p.kind).lastIndexOf('text');
  if (last < 0) return [{ kind: 'text', text: note }, ...parts];
  return parts.map((p, i) => (i === last && p.kind === 'text' ? { ...p, text: `${p.text}\n\n${note}` } : p));
}
