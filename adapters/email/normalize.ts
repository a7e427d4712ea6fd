import type { FetchedMedia, FetchMediaOptions, Normalized } from '../../src/core/adapter.js';
import { DeliveryError, ParleyError } from '../../src/core/errors.js';
import type { InboundEvent, MediaPart, Part } from '../../src/core/message.js';
import { fullText, type IncomingMail, type MailAttachment, visibleReply } from './mail.js';
import { messageIds, replyReferences, rootOfOurs, threadRoot } from './thread.js';
import type { MailgunForm } from './verify.js';

/** What normalize knows about the channel. */
export interface EmailContext {
  channelId: string;
  /** The channel's own address, lower-cased: mail from it is ours. */
  address: string;
}

/** Why a mail is not answered: it is automatic, a bounce, or one of ours. */
export type Ignored = 'auto-submitted' | 'precedence' | 'autoreply-header' | 'mailer-daemon' | 'report' | 'own' | 'no-sender';

/**
 * Whether to leave a mail unanswered, and why: answering an autoresponder, a bounce or our own
 * mail starts a loop. RFC 3834 §5 (`Auto-Submitted` other than `no`), `Precedence: bulk | junk |
 * list | auto_reply`, the vendor headers Exchange and others set on out-of-office replies,
 * delivery reports, `mailer-daemon`/`postmaster` senders; and our own sends.
 */
function ignoredBecause(mail: IncomingMail, ctx: EmailContext): Ignored | undefined {
  const h = mail.headers;
  const from = mail.from?.address.toLowerCase();
  if (!from) return 'no-sender';
  if (from === ctx.address || (mail.messageId && rootOfOurs(mail.messageId))) return 'own';
  const auto = h['auto-submitted']?.trim().toLowerCase();
  if (auto && auto !== 'no') return 'auto-submitted';
  if (/^(bulk|junk|list|auto_reply)$/i.test(h.precedence?.trim() ?? '')) return 'precedence';
  if (h['x-autoreply'] || h['x-autorespond'] || h['x-auto-response'] || /^(OOF|AutoReply)$/i.test(h['x-ms-exchange-generated-message-source'] ?? '')) {
    return 'autoreply-header';
  }
  if (/^(mailer-daemon|postmaster)@/i.test(from)) return 'mailer-daemon';
  if (/multipart\/report/i.test(h['content-type'] ?? '')) return 'report';
  return undefined;
}

function attachmentPart(a: MailAttachment, index: number, messageId: string): MediaPart {
  const kind = /^image\//i.test(a.mimeType) ? 'image' : /^video\//i.test(a.mimeType) ? 'video' : 'file';
  // `platform:<Message-ID>/<n>`: the bytes are the event's (`raw.attachments[n].content`), read by fetchMedia.
  const part: MediaPart = { kind, url: `platform:${encodeURIComponent(messageId)}/${index}`, mimeType: a.mimeType, size: a.size };
  if (a.name) part.name = a.name;
  return part;
}

/**
 * Turns one received mail into 0 or 1 events: a `message` in the conversation of its sender and
 * thread (chat id and user id = the sender's address, thread id = the thread's root Message-ID,
 * ./thread.ts), the event id = the Message-ID (so the same mail from IMAP and a webhook, or
 * fetched twice, is one event). The text part is the visible reply; a new thread's subject leads it. The whole text
 * and the headers kept for agents ride in `raw`. Automatic mail and our own give no event.
 */
export function mailEvents(mail: IncomingMail, ctx: EmailContext): { events: InboundEvent[]; ignored?: Ignored } {
  const ignored = ignoredBecause(mail, ctx);
  if (ignored) return { events: [], ignored };
  const from = mail.from as { address: string; name?: string };
  const address = from.address.toLowerCase();
  const messageId = mail.messageId ?? `${mail.date ?? 0}.${address}@parley.invalid`;
  const thread = { messageId, inReplyTo: mail.inReplyTo, references: mail.references };
  const root = threadRoot(thread);
  const full = fullText(mail);
  const reply = visibleReply(full);
  const opening = root === messageId && mail.subject?.trim() ? `${mail.subject.trim()}\n\n` : '';
  const text = `${opening}${reply}`.trim();
  const attachments = mail.attachments.filter((a) => !a.related);
  const parts: Part[] = [...(text ? [{ kind: 'text', text } as const] : []), ...attachments.map((a, i) => attachmentPart(a, i, messageId))];
  // Why the sender is part of the key: thread headers are the sender's to write. A stranger who
  // puts another shopper's thread in `References` gets a conversation of their own, never theirs.
  const ref = {
    channelId: ctx.channelId,
    chatId: address,
    threadId: root,
    userId: address,
    extra: { address, subject: mail.subject ?? '', inReplyTo: messageId, references: replyReferences(thread) },
  };
  // The attachments' bytes ride in `raw` (stored with the event, never logged) until media intake
  // stores them: the adapter's fetchMedia reads them back from there.
  const kept = attachments.map(({ content, ...meta }) => (content ? { ...meta, content: content.toString('base64') } : meta));
  const raw = { messageId, subject: mail.subject, from: address, text: full, attachments: kept, headers: pick(mail.headers) };
  const base = { channelId: ctx.channelId, eventId: messageId, ref, timestamp: mail.date ?? 0, raw, ...(from.name ? { senderName: from.name } : {}) };
  if (!parts.length) return { events: [{ ...base, type: 'system', name: 'email.empty' }] };
  const replyTo = mail.inReplyTo[0];
  return { events: [{ ...base, type: 'message', messageId, parts, ...(replyTo ? { replyTo } : {}) }] };
}

/** The headers worth keeping with the mail (no Received chains, no authentication results). */
function pick(headers: Readonly<Record<string, string>>): Record<string, string> {
  const keep = ['date', 'to', 'cc', 'reply-to', 'content-language', 'in-reply-to', 'references'];
  return Object.fromEntries(keep.flatMap((k) => (headers[k] ? [[k, headers[k]]] : [])));
}

/** Postmark's inbound JSON, the fields Parley reads. https://postmarkapp.com/developer/webhooks/inbound-webhook */
interface PostmarkInbound {
  MessageID?: unknown;
  FromFull?: { Email?: unknown; Name?: unknown };
  From?: unknown;
  Subject?: unknown;
  Date?: unknown;
  TextBody?: unknown;
  HtmlBody?: unknown;
  Headers?: unknown;
  Attachments?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

function postmarkHeaders(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(value)) return out;
  for (const h of value as { Name?: unknown; Value?: unknown }[]) {
    const name = str(h?.Name)?.toLowerCase();
    if (name && typeof h.Value === 'string' && !(name in out)) out[name] = h.Value;
  }
  return out;
}

function postmarkAttachments(value: unknown): MailAttachment[] {
  if (!Array.isArray(value)) return [];
  return (value as { Name?: unknown; Content?: unknown; ContentType?: unknown; ContentLength?: unknown; ContentID?: unknown }[]).map((a) => ({
    ...(str(a?.Name) ? { name: str(a.Name) as string } : {}),
    mimeType: str(a?.ContentType) ?? 'application/octet-stream',
    size: typeof a?.ContentLength === 'number' ? a.ContentLength : 0,
    ...(str(a?.ContentID) && !str(a?.Name) ? { related: true } : {}),
    ...(str(a?.Content) ? { content: Buffer.from(str(a.Content) as string, 'base64') } : {}),
  }));
}

/**
 * Reads Postmark's inbound JSON into an {@link IncomingMail}. The RFC Message-ID is taken from
 * `Headers` (Postmark's own `MessageID` is a UUID, used only when the header is missing), so a
 * mail seen over IMAP too is one event. A body that is not Postmark's shape throws `BAD_PAYLOAD`.
 */
function postmarkMail(body: Buffer): IncomingMail {
  let json: PostmarkInbound;
  try {
    json = JSON.parse(body.toString('utf8')) as PostmarkInbound;
  } catch (cause) {
    throw new ParleyError('BAD_PAYLOAD', 'Postmark inbound webhook body is not JSON.', { cause });
  }
  const address = str(json?.FromFull?.Email) ?? str(json?.From);
  if (!json || typeof json !== 'object' || !address) throw new ParleyError('BAD_PAYLOAD', 'Postmark inbound webhook has no sender (FromFull.Email).');
  const headers = postmarkHeaders(json.Headers);
  const headerId = messageIds(headers['message-id'])[0];
  const postmarkId = str(json.MessageID);
  const date = str(json.Date) ? Date.parse(json.Date as string) : NaN;
  return {
    ...(headerId ? { messageId: headerId } : postmarkId ? { messageId: `${postmarkId}@inbound.postmarkapp.com` } : {}),
    inReplyTo: messageIds(headers['in-reply-to']),
    references: messageIds(headers.references),
    from: { address, ...(str(json.FromFull?.Name) ? { name: str(json.FromFull?.Name) as string } : {}) },
    ...(str(json.Subject) ? { subject: json.Subject as string } : {}),
    ...(Number.isFinite(date) ? { date } : {}),
    ...(typeof json.TextBody === 'string' ? { text: json.TextBody } : {}),
    ...(typeof json.HtmlBody === 'string' ? { html: json.HtmlBody } : {}),
    headers,
    attachments: postmarkAttachments(json.Attachments),
  };
}

/** Postmark wants a 200 once the mail is stored; anything else makes it retry. */
const ACK = { status: 200, body: { ok: true } };

/** Turns a verified Postmark inbound webhook into 0..1 events. */
export function normalizeWebhook(body: Buffer, ctx: EmailContext): Normalized {
  return { ack: ACK, events: mailEvents(postmarkMail(body), ctx).events };
}

/** `Name <address>`, `"Name" <address>` or a bare address: Mailgun's `from` field, already UTF-8. */
function parseAddress(value: string | undefined): { address: string; name?: string } | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const angled = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(v);
  if (angled) {
    const name = (angled[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
    return { address: angled[2] as string, ...(name ? { name } : {}) };
  }
  return /^[^<>\s]+@[^<>\s]+$/.test(v) ? { address: v } : undefined;
}

/** Mailgun's `message-headers`: a JSON array of [name, value], in the mail's order. */
function mailgunHeaders(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  let list: unknown;
  try {
    list = JSON.parse(value ?? '[]');
  } catch {
    return out;
  }
  if (!Array.isArray(list)) return out;
  for (const h of list) {
    if (!Array.isArray(h) || typeof h[0] !== 'string' || typeof h[1] !== 'string') continue;
    const name = h[0].toLowerCase();
    if (!(name in out)) out[name] = h[1];
  }
  return out;
}

/** The attachment fields an inline image of the HTML stands for (`content-id-map`: cid → field). */
function inlineFields(value: string | undefined): Set<string> {
  try {
    const map = JSON.parse(value ?? '{}') as unknown;
    return new Set(map && typeof map === 'object' ? Object.values(map).filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Reads a Mailgun route's parsed POST into an {@link IncomingMail}. The thread and loop headers
 * come from `message-headers` (the top-level `Message-Id`, `In-Reply-To`, `References` fields when
 * it lacks them); the text is `body-plain` with `body-html` beside it, so the quote and signature
 * are stripped by the same rules as mail read over IMAP (Mailgun's `stripped-text` is not used).
 */
function mailgunMail(form: MailgunForm): IncomingMail {
  const f = form.fields;
  const headers = mailgunHeaders(f['message-headers']);
  const header = (name: string) => headers[name.toLowerCase()] ?? str(f[name]);
  const from = parseAddress(str(f.from) ?? header('From')) ?? parseAddress(str(f.sender));
  if (!from) throw new ParleyError('BAD_PAYLOAD', 'Mailgun inbound POST has no sender (from, sender).');
  const messageId = messageIds(header('Message-Id'))[0];
  const dateHeader = header('Date');
  const date = dateHeader ? Date.parse(dateHeader) : Number(f.timestamp) * 1000;
  const inline = inlineFields(f['content-id-map']);
  const subject = str(f.subject) ?? header('Subject');
  return {
    ...(messageId ? { messageId } : {}),
    inReplyTo: messageIds(header('In-Reply-To')),
    references: messageIds(header('References')),
    from,
    ...(subject ? { subject } : {}),
    ...(Number.isFinite(date) ? { date } : {}),
    ...(f['body-plain'] !== undefined ? { text: f['body-plain'] } : {}),
    ...(f['body-html'] !== undefined ? { html: f['body-html'] } : {}),
    headers,
    attachments: form.files.map((a) => ({
      ...(a.name ? { name: a.name } : {}),
      mimeType: a.mimeType,
      size: a.size,
      ...(inline.has(a.field) ? { related: true } : {}),
      ...(a.data ? { content: a.data } : {}),
    })),
  };
}

/** Turns a verified Mailgun route POST into 0..1 events. Mailgun wants a 200; anything but 406 makes it retry. */
export function normalizeMailgun(form: MailgunForm, ctx: EmailContext): Normalized {
  return { ack: ACK, events: mailEvents(mailgunMail(form), ctx).events };
}

/**
 * The bytes of attachment `platform:<Message-ID>/<n>`, from the event's `raw` (where
 * {@link mailEvents} put them): e-mail hands the whole file over with the mail, so there is
 * nothing to download. Throws `DeliveryError('invalid')` when they are not there or too large.
 *
 * @example
 * ```ts
 * const media = attachmentBytes('platform:abc%40mail.example/0', event.raw, { maxBytes: 20_000_000 });
 * ```
 */
export function attachmentBytes(url: string, raw: unknown, options: FetchMediaOptions = {}): FetchedMedia {
  const index = Number(/^platform:[^/]+\/(\d+)$/.exec(url)?.[1] ?? NaN);
  const list = (raw as { attachments?: unknown } | undefined)?.attachments;
  const found = Array.isArray(list) ? (list[index] as { content?: unknown; mimeType?: unknown; name?: unknown } | undefined) : undefined;
  if (typeof found?.content !== 'string')
    throw new DeliveryError('invalid', 'The mail no longer holds this attachment (it came before attachments were kept).');
  const data = Buffer.from(found.content, 'base64');
  if (options.maxBytes !== undefined && data.length > options.maxBytes) {
    throw new DeliveryError('invalid', `E-mail attachment refused: ${data.length} bytes.`, { details: { maxBytes: options.maxBytes } });
  }
  return { data, mimeType: str(found.mimeType) ?? 'application/octet-stream', ...(str(found.name) ? { name: str(found.name) as string } : {}) };
}
