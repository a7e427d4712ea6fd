import type { HttpAck, Normalized, RawRequest } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import { hasControlCharacter } from '../../src/core/input.js';
import type { ConversationRef, InboundBase, InboundEvent, LocaleHints, Part } from '../../src/core/message.js';
import type { CustomConfig } from './config.js';
import { compile, expressionError, plain } from './expressions.js';
import { decryptField } from './verify.js';

/** Ids longer than this are refused: they key the inbox and the conversation. */
const MAX_ID_LENGTH = 512;
/** Attachments kept per event. */
const MAX_ATTACHMENTS = 10;

/** One attachment as an `attachments` expression yields it. */
interface Attachment {
  url: string;
  kind?: string;
  mimeType?: string;
  name?: string;
}

/** What the block's expressions read from one verified request. */
interface Extracted {
  eventId: string;
  messageId?: string;
  userId: string;
  chatId: string;
  threadId?: string;
  text?: string;
  attachments: Attachment[];
  timestamp: number;
  language?: string;
  senderName?: string;
  keep: Record<string, unknown>;
}

/** The outcome of reading a verified request: a handshake, an ignored event, one event, or a malformed body. */
export type Reading =
  { kind: 'handshake'; response: unknown } | { kind: 'ignored' } | { kind: 'event'; fields: Extracted; raw: unknown } | { kind: 'malformed'; reason: string };

/** Headers and query as expressions see them: `$header.'x-lark-request-nonce'`, `$query.token`. */
function bindings(req: RawRequest): Record<string, unknown> {
  return { header: { ...req.headers }, query: { ...req.query } };
}

/**
 * Parses the body as JSON and, when the block decrypts, opens the encrypted field. Undefined
 * when it is not JSON or does not decrypt.
 */
export function parseBody(config: CustomConfig['inbound'], body: Buffer): { doc: unknown } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'the body is not JSON' };
  }
  if (!config.decrypt) return { doc };
  const field = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)[config.decrypt.field] : undefined;
  if (typeof field !== 'string') return { problem: `the body has no "${config.decrypt.field}" field to decrypt` };
  const plaintext = decryptField(field, config.decrypt);
  if (plaintext === undefined) return { problem: 'the body does not decrypt with the configured key' };
  try {
    return { doc: JSON.parse(plaintext) };
  } catch {
    return { problem: 'the decrypted body is not JSON' };
  }
}

/** Whether a parsed body is the platform's handshake; an expression error counts as no. */
export async function isHandshake(config: CustomConfig['inbound'], doc: unknown, req: RawRequest): Promise<boolean> {
  if (!config.handshake) return false;
  try {
    return Boolean(await compile(config.handshake.when).evaluate(doc, bindings(req)));
  } catch {
    return false;
  }
}

function asId(value: unknown): string | undefined {
  const id = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  return typeof id === 'string' && id.trim() !== '' && id.length <= MAX_ID_LENGTH && !hasControlCharacter(id) ? id : undefined;
}

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asTimestamp(value: unknown, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    if (Number.isFinite(n) && n > 0) return n;
    const parsed = Date.parse(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  return fallback;
}

function asAttachments(value: unknown): Attachment[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: Attachment[] = [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const a = item as Record<string, unknown>;
    if (typeof a.url !== 'string' || !/^(https?:\/\/|platform:)/i.test(a.url)) continue;
    out.push({
      url: a.url,
      ...(typeof a.kind === 'string' ? { kind: a.kind } : {}),
      ...(typeof a.mimeType === 'string' ? { mimeType: a.mimeType } : {}),
      ...(typeof a.name === 'string' ? { name: a.name } : {}),
    });
    if (out.length >= MAX_ATTACHMENTS) break;
  }
  return out;
}

/**
 * Reads a verified request with the block's expressions: the handshake, `ignore`, then the
 * event's fields. Asynchronous because JSONata evaluates asynchronously; run inside `verify`,
 * so `normalize` stays pure. An expression that fails, or an event without id, user or chat,
 * is `malformed` (400 with the reason, nothing stored).
 */
export async function readRequest(config: CustomConfig['inbound'], doc: unknown, req: RawRequest, now: number): Promise<Reading> {
  const vars = bindings(req);
  const run = async (key: string, source: string | undefined): Promise<unknown> => {
    if (source === undefined) return undefined;
    try {
      return plain(await compile(source).evaluate(doc, vars));
    } catch (err) {
      throw new Error(`inbound.${key}: ${expressionError(err)}`, { cause: err });
    }
  };
  try {
    if (config.handshake && (await isHandshake(config, doc, req)))
      return { kind: 'handshake', response: await run('handshake.respond', config.handshake.respond) };
    if (config.ignore && (await run('ignore', config.ignore))) return { kind: 'ignored' };
    const eventId = asId(await run('eventId', config.eventId));
    const userId = asId(await run('userId', config.userId));
    const chatId = asId(await run('chatId', config.chatId));
    const missing = [!eventId && 'eventId', !userId && 'userId', !chatId && 'chatId'].filter(Boolean);
    if (missing.length || !eventId || !userId || !chatId) return { kind: 'malformed', reason: `no ${missing.join(', ')} in the event` };
    const keep: Record<string, unknown> = {};
    for (const [name, source] of Object.entries(config.keep)) {
      const value = await run(`keep.${name}`, source);
      if (value !== undefined && value !== null) keep[name] = value;
    }
    const messageId = asId(await run('messageId', config.messageId));
    const threadId = asId(await run('threadId', config.threadId));
    const text = asText(await run('text', config.text));
    const language = asText(await run('language', config.language));
    const senderName = asText(await run('senderName', config.senderName));
    const fields: Extracted = {
      eventId,
      userId,
      chatId,
      attachments: asAttachments(await run('attachments', config.attachments)),
      timestamp: asTimestamp(await run('timestamp', config.timestamp), now),
      keep,
      ...(messageId ? { messageId } : {}),
      ...(threadId ? { threadId } : {}),
      ...(text ? { text } : {}),
      ...(language && language.length <= 35 ? { language } : {}),
      ...(senderName ? { senderName: senderName.slice(0, 200) } : {}),
    };
    return { kind: 'event', fields, raw: doc };
  } catch (err) {
    return { kind: 'malformed', reason: err instanceof Error ? err.message : String(err) };
  }
}

const mediaKinds = new Set(['image', 'video', 'audio', 'file']);

function attachmentPart(a: Attachment): Part {
  const byMime = a.mimeType?.split('/')[0];
  const kind = a.kind && mediaKinds.has(a.kind) ? a.kind : byMime && mediaKinds.has(byMime) ? byMime : 'file';
  if (kind === 'audio') return { kind, url: a.url, ...(a.mimeType ? { mimeType: a.mimeType } : {}) };
  return { kind: kind as 'image' | 'video' | 'file', url: a.url, ...(a.mimeType ? { mimeType: a.mimeType } : {}), ...(a.name ? { name: a.name } : {}) };
}

function ackOf(config: CustomConfig['inbound']): HttpAck {
  const body = config.ack.body;
  if (body === undefined) return { status: config.ack.status };
  if (body && typeof body === 'object') return { status: config.ack.status, body: body as Record<string, unknown> };
  return { status: config.ack.status, body: String(body) };
}

/**
 * Turns what {@link readRequest} read into the acknowledgement and events. Pure. A handshake is
 * answered with its JSON; an ignored event is acknowledged with nothing stored; a malformed one
 * throws `BAD_PAYLOAD` (400) with the reason.
 */
export function toEvents(config: CustomConfig['inbound'], reading: Reading, channelId: string): Normalized {
  if (reading.kind === 'handshake') {
    const response = reading.response;
    const body = response && typeof response === 'object' ? (response as Record<string, unknown>) : { value: response ?? null };
    return { ack: { status: 200, body, headers: { 'content-type': 'application/json; charset=utf-8' } }, events: [] };
  }
  if (reading.kind === 'ignored') return { ack: ackOf(config), events: [] };
  if (reading.kind === 'malformed') throw new ParleyError('BAD_PAYLOAD', `Custom channel "${channelId}" cannot read this event: ${reading.reason}.`);
  const f = reading.fields;
  const ref: ConversationRef = { channelId, chatId: f.chatId, userId: f.userId, ...(f.threadId ? { threadId: f.threadId } : {}) };
  if (Object.keys(f.keep).length) ref.extra = { ...f.keep };
  const hints: LocaleHints | undefined = f.language ? { locale: f.language.replace(/_/g, '-') } : undefined;
  const base: InboundBase = {
    channelId,
    eventId: f.eventId,
    ref,
    timestamp: f.timestamp,
    raw: reading.raw,
    ...(hints ? { hints } : {}),
    ...(f.senderName ? { senderName: f.senderName } : {}),
  };
  const parts: Part[] = [...(f.text ? [{ kind: 'text', text: f.text } as const] : []), ...f.attachments.map(attachmentPart)];
  const event: InboundEvent = parts.length
    ? { ...base, type: 'message', messageId: f.messageId ?? f.eventId, parts }
    : { ...base, type: 'system', name: 'custom.unreadable' };
  return { ack: ackOf(config), events: [event] };
}
