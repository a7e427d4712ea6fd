import EmailReplyParser from 'email-reply-parser';
import { convert } from 'html-to-text';
import { simpleParser } from 'mailparser';
import { messageIds } from './thread.js';

/**
 * One received e-mail, whichever way it came (IMAP via mailparser, or a provider's webhook):
 * what normalize needs, nothing platform-shaped.
 */
export interface IncomingMail {
  /** Without angle brackets. */
  messageId?: string;
  inReplyTo: string[];
  references: string[];
  from?: { address: string; name?: string };
  subject?: string;
  /** ms since epoch, from the `Date` header. */
  date?: number;
  text?: string;
  html?: string;
  /** Header names lower-cased, first value only: what the loop checks read. */
  headers: Readonly<Record<string, string>>;
  attachments: MailAttachment[];
}

/** An attachment as kept: its name, type and size (the bytes stay in the mailbox, see docs). */
export interface MailAttachment {
  name?: string;
  mimeType: string;
  size: number;
  /** Content-ID of an inline part (an image the HTML shows), not something the shopper attached. */
  related?: boolean;
  /** The bytes, kept in the event's `raw` (base64) until media intake stores them. */
  content?: Buffer;
}

/**
 * The mail's text as a person wrote it: the text part, or the HTML part as text (html-to-text)
 * when there is none.
 */
export function fullText(mail: Pick<IncomingMail, 'text' | 'html'>): string {
  if (mail.text?.trim()) return mail.text.replace(/\r\n/g, '\n').trim();
  if (mail.html?.trim()) return convert(mail.html, { wordwrap: false }).trim();
  return '';
}

/**
 * What the bot reads: the newest part of the mail, without the quoted conversation below it and
 * without the signature (email-reply-parser, GitHub's rules: `On … wrote:` headers, `>` quotes,
 * `-- ` and "Sent from my …" signatures). Falls back to the whole text when stripping leaves
 * nothing (a mail that is all quote).
 */
export function visibleReply(text: string): string {
  if (!text) return '';
  const reply = new EmailReplyParser().parseReply(text).trim();
  return reply || text;
}

/** The first value of each header, names lower-cased, folding undone (from mailparser's raw lines). */
function headerValues(lines: readonly { key: string; line: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of lines) {
    if (key in out) continue;
    const colon = line.indexOf(':');
    out[key] = line
      .slice(colon + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  }
  return out;
}

/**
 * Parses a raw RFC 5322 message (as IMAP returns it) with mailparser: decoded text, the HTML as
 * text when there is no text part, addresses, thread headers and the attachments' metadata.
 *
 * @example
 * ```ts
 * const mail = await parseMime(Buffer.from('From: a@b.example\r\nSubject: Hi\r\n\r\nHello'));
 * mail.from; // { address: 'a@b.example' }
 * ```
 */
export async function parseMime(source: Buffer): Promise<IncomingMail> {
  const parsed = await simpleParser(source, { skipImageLinks: true, skipTextToHtml: true });
  const sender = parsed.from?.value.find((a) => a.address);
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  return {
    ...(parsed.messageId ? { messageId: messageIds(parsed.messageId)[0] ?? parsed.messageId } : {}),
    inReplyTo: messageIds(parsed.inReplyTo),
    references: messageIds(parsed.references),
    ...(sender?.address ? { from: { address: sender.address, ...(sender.name ? { name: sender.name } : {}) } } : {}),
    ...(parsed.subject ? { subject: parsed.subject } : {}),
    ...(parsed.date && !Number.isNaN(parsed.date.getTime()) ? { date: parsed.date.getTime() } : {}),
    ...(parsed.text ? { text: parsed.text } : {}),
    ...(html ? { html } : {}),
    headers: headerValues(parsed.headerLines),
    attachments: parsed.attachments.map((a) => ({
      ...(a.filename ? { name: a.filename } : {}),
      mimeType: a.contentType,
      size: a.size,
      ...(a.related || (a.contentDisposition === 'inline' && a.contentId && !a.filename) ? { related: true } : {}),
      ...(Buffer.isBuffer(a.content) ? { content: a.content } : {}),
    })),
  };
}
