/**
 * What the core accepts as text, whatever the channel: characters every store can hold, and
 * lengths every stage can afford. Applied once, where events come in (`inbox.accept`) and where
 * text is written (the SQL drivers), never per channel.
 *
 * @example
 * ```ts
 * storable('a\u0000b');                                  // 'a\uFFFDb'
 * normalizeInbound(event, defaultInputLimits);            // text storable, at most 4096 characters
 * readable('see ' + 'x'.repeat(1000), 256);               // 'see xxx…' (256 characters of the word)
 * ```
 */
import type { InboundEvent, Part } from './message.js';

/** Input limits (config `limits`, docs/api.md "Limits"). */
export interface InputLimits {
  /**
   * Characters of one message's text that are kept: stored, shown to agents and answered. The
   * rest is cut (ending in "…") and the shopper is told.
   */
  maxTextLength: number;
  /**
   * Characters of one word the bot reads (language detection, knowledge base, handoff
   * triggers, translation, the model). A longer "word" (a pasted key, a base64 blob) is
   * shortened for reading only; the stored message keeps it.
   */
  maxWordLength: number;
}

/** The defaults of {@link InputLimits}: the longest message WhatsApp and Telegram take, a long URL. */
export const defaultInputLimits: InputLimits = Object.freeze({ maxTextLength: 4096, maxWordLength: 256 });

/** NUL (Postgres text refuses it) and UTF-16 surrogates without their pair (no UTF-8 can encode them). */
// eslint-disable-next-line no-control-regex -- NUL is what is looked for.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` with what no store can hold replaced by U+FFFD (the replacement character): NUL, and
 * lone surrogates. Everything else, other control characters included, is kept.
 */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\ufffd');
}

/** Whether `text` holds a C0 control character, DEL, or a character no store can hold: never part of an id. */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return storable(text) !== text;
}

/**
 * `text` cut to at most `max` characters, ending in "…": at a space near the end when there is
 * one, never inside a surrogate pair.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - 1);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const space = text.lastIndexOf(' ', end);
  if (space > 0 && space >= end - 32) end = space;
  return `${text.slice(0, end).trimEnd()}…`;
}

/**
 * `text` as the bot reads it: every run of non-space characters longer than `maxWord` cut to
 * `maxWord` characters. Linear in the length of `text`.
 */
export function readable(text: string, maxWord: number): string {
  if (text.length <= maxWord) return text;
  return text.replace(/\S+/g, (word) => (word.length > maxWord ? cut(word, maxWord) : word));
}

/**
 * An event as every stage may take it: every string storable and at most `maxTextLength`
 * characters (the platform's raw payload aside: it is stored as escaped JSON), and a message's
 * text (texts, captions, transcripts, card titles) at most `maxTextLength` characters in all,
 * with `textCutFrom` saying how long it was when it had to be cut.
 */
export function normalizeInbound(event: InboundEvent, limits: InputLimits): InboundEvent {
  const { raw, ...rest } = event;
  const clean = bounded(rest, limits.maxTextLength) as Omit<InboundEvent, 'raw'>;
  const kept = (raw === undefined ? clean : { ...clean, raw }) as InboundEvent;
  if (kept.type !== 'message' && kept.type !== 'edit') return kept;
  const length = textLength((event as typeof kept).parts);
  if (length <= limits.maxTextLength) return kept;
  return { ...kept, parts: withinBudget(kept.parts, limits.maxTextLength), textCutFrom: length };
}

/** Characters of readable text in the parts (what {@link withinBudget} counts). */
function textLength(parts: readonly Part[]): number {
  let length = 0;
  for (const part of parts) {
    if (part.kind === 'text') length += part.text.length;
    else if (part.kind === 'image' || part.kind === 'video' || part.kind === 'file') length += part.caption?.length ?? 0;
    else if (part.kind === 'audio') length += part.transcript?.length ?? 0;
    else if (part.kind === 'card') length += part.title.length + (part.subtitle?.length ?? 0);
  }
  return length;
}

/** Every string of `value` storable and cut to `max`; other values as they are. */
function bounded(value: unknown, max: number): unknown {
  if (typeof value === 'string') return cut(storable(value), max);
  if (Array.isArray(value)) return value.map((v) => bounded(v, max));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[storable(k)] = bounded(v, max);
    return out;
  }
  return value;
}

/** The parts with their readable text cut to `budget` characters in all. */
function withinBudget(parts: readonly Part[], budget: number): Part[] {
  let left = budget;
  const take = (text: string): string => {
    const kept = text.length <= left ? text : left > 0 ? cut(text, left) : '';
    left -= kept.length;
    return kept;
  };
  const out: Part[] = [];
  for (const part of parts) {
    if (part.kind === 'text') {
      const text = take(part.text);
      if (text) out.push({ ...part, text });
    } else if ((part.kind === 'image' || part.kind === 'video' || part.kind === 'file') && part.caption) {
      const caption = take(part.caption);
      out.push(caption ? { ...part, caption } : withoutKey(part, 'caption'));
    } else if (part.kind === 'audio' && part.transcript) {
      const transcript = take(part.transcript);
      out.push(transcript ? { ...part, transcript } : withoutKey(part, 'transcript'));
    } else if (part.kind === 'card') {
      out.push({ ...part, title: take(part.title), ...(part.subtitle ? { subtitle: take(part.subtitle) } : {}) });
    } else out.push(part);
  }
  return out;
}

function withoutKey<P extends Part, K extends keyof P>(part: P, key: K): Omit<P, K> & Part {
  const { [key]: _dropped, ...rest } = part;
  return rest as Omit<P, K> & Part;
}
