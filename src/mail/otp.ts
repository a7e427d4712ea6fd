import type { OtpSender } from '../bot/orders/verification.js';
import type { Localize } from '../core/ports.js';
import type { Mailer } from './mailer.js';

/** What the one-time-code mail needs besides the mailer. */
export interface OtpMailDeps {
  mailer: Mailer;
  /** Fixed strings in a language (`locales/<lng>/mail.json`). */
  localize(language: string | undefined): Localize;
  shopName: string;
}

/**
 * Mails one-time codes in the shopper's language, as plain text and simple HTML.
 *
 * @example
 * ```ts
 * const sender = createOtpMailer({ mailer, localize: (l) => localizer.forLanguage(l), shopName: 'Pawsome Supplies' });
 * await sender.send({ to: 'emma@example.com', code: '493817', orderId: 'PS-100234', language: 'de' });
 * ```
 */
export function createOtpMailer(deps: OtpMailDeps): OtpSender {
  return {
    async send({ to, code, orderId, language, validMinutes }) {
      const t = deps.localize(language);
      const vars = { orderId, code, minutes: validMinutes ?? 10, shop: deps.shopName };
      const text = t('mail.otp_text', vars);
      const html = `<!doctype html><html${language ? ` lang="${escapeHtml(language)}"` : ''}><body style="font-family:sans-serif">${text
        .split('\n\n')
        .map((p) =>
          p === code ? `<p style="font-size:28px;letter-spacing:4px"><b>${escapeHtml(p)}</b></p>` : `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`,
        )
        .join('')}</body></html>`;
      await deps.mailer.send({ to, subject: t('mail.otp_subject', vars), text, html, ...(language ? { language } : {}) });
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
