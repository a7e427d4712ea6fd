import nodemailer from 'nodemailer';
import { ParleyError } from '../core/errors.js';
import type { Mail, Mailer } from './mailer.js';

/** The `mail.smtp` block. */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
}

/**
 * A mailer over SMTP (nodemailer): one pooled connection, STARTTLS when the server offers it
 * (`secure: false`) or TLS from the start (`secure: true`, port 465).
 *
 * @example
 * ```ts
 * const mailer = createSmtpMailer({ host: 'smtp.example.com', port: 587, secure: false, user, pass }, 'Shop <service@shop.example>');
 * ```
 */
export function createSmtpMailer(settings: SmtpSettings, from: string): Mailer & { close(): void } {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    ...(settings.user ? { auth: { user: settings.user, pass: settings.pass ?? '' } } : {}),
  });
  return {
    kind: 'smtp',
    async send(mail: Mail) {
      try {
        await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html ? { html: mail.html } : {}),
          ...(mail.language ? { headers: { 'Content-Language': mail.language } } : {}),
        });
      } catch (cause) {
        const reason = (cause as { code?: string; responseCode?: number }).responseCode ?? (cause as { code?: string }).code ?? 'error';
        const hint =
          reason === 535 || reason === 'EAUTH'
            ? ' Check mail.smtp.user and mail.smtp.pass.'
            : ` Check mail.smtp.host (${settings.host}) and mail.smtp.port (${settings.port}).`;
        throw new ParleyError('MAIL_FAILED', `Sending mail through SMTP failed (${reason}).${hint}`, { cause });
      }
    },
    close: () => transport.close(),
  };
}
