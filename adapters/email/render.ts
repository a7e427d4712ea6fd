import { convertMarkup } from '../../src/core/markup.js';
import type { ConversationRef, OutboundMessage } from '../../src/core/message.js';
import type { Localize } from '../../src/core/ports.js';
import { replySubject } from './thread.js';

/** One mail to send: both alternatives and the thread headers (ids without brackets). */
export interface EmailPayload {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** BCP 47, sent as `Content-Language`. */
  language?: string;
  inReplyTo?: string;
  references: string[];
}

/** What render needs besides the message: the shopper's fixed strings and the shop's footer. */
export interface RenderOptions {
  localize(language: string | undefined): Localize;
  footer?: string;
}

/** Scripts written right to left: the HTML alternative sets `dir="rtl"` for them. */
const RTL = /^(ar|he|fa|ur)(-|$)/i;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The body's HTML fragment (the core's `html` dialect) as paragraphs with line breaks. */
function htmlParagraphs(fragment: string): string {
  return fragment
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');
}

/**
 * Renders one degraded message as one mail: the greeting and closing from `locales/<lng>/mail.json`
 * in the shopper's language (`message.language`), the reply between them, the shop's footer
 * under a rule; the HTML alternative and a plain-text one with the same words; `Re:` subject and
 * thread headers from the conversation (the shopper's last mail). Pure.
 *
 * @example
 * ```ts
 * renderMail({ parts: [{ kind: 'text', text: 'Versand dauert 2–3 Tage.', markup: 'html' }], language: 'de' }, ref, { localize, footer: 'Shop Example' });
 * // [{ subject: 'Re: Lieferzeit', text: 'Hallo,\n\nVersand dauert 2–3 Tage.\n\nViele Grüße\n\n-- \nShop Example', html: '<!doctype html>…', language: 'de', … }]
 * ```
 */
export function renderMail(message: OutboundMessage, ref: ConversationRef, options: RenderOptions): EmailPayload[] {
  const fragment = message.parts
    .flatMap((p) => (p.kind === 'text' ? [p.markup === 'html' ? p.text : escapeHtml(p.text)] : []))
    .join('\n\n')
    .trim();
  if (!fragment) return [];
  const t = options.localize(message.language);
  const greeting = t('mail.reply_greeting');
  const closing = t('mail.reply_closing');
  const footer = options.footer;
  const text = [greeting, convertMarkup(fragment, 'html', 'plain'), closing].join('\n\n') + (footer ? `\n\n-- \n${footer}` : '');
  const lang = message.language ? ` lang="${escapeHtml(message.language)}"${RTL.test(message.language) ? ' dir="rtl"' : ''}` : '';
  const html = [
    `<!doctype html><html${lang}><head><meta charset="utf-8"></head><body>`,
    `<p>${escapeHtml(greeting)}</p>`,
    htmlParagraphs(fragment),
    `<p>${escapeHtml(closing).replace(/\n/g, '<br>\n')}</p>`,
    ...(footer ? [`<hr><p style="color:#666;font-size:small">${escapeHtml(footer)}</p>`] : []),
    '</body></html>',
  ].join('\n');
  const extra = ref.extra ?? {};
  const inReplyTo = str(extra.inReplyTo);
  return [
    {
      to: str(extra.address) ?? ref.userId,
      subject: replySubject(str(extra.subject), t('mail.reply_subject')),
      text,
      html,
      ...(message.language ? { language: message.language } : {}),
      ...(inReplyTo ? { inReplyTo } : {}),
      references: strings(extra.references),
    },
  ];
}
