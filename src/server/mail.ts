/** Outgoing mail from the configuration: SMTP, the demo mailbox, or none (codes cannot be sent). */
import type { FastifyInstance } from 'fastify';
import type { OtpSender } from '../bot/orders/index.js';
import type { GatewayConfig } from '../config/load.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Localizer } from '../language/i18n.js';
import { ParleyError } from '../core/errors.js';
import { createOtpMailer, createSmtpMailer, DemoMailbox, type Mailer } from '../mail/index.js';
import type { SqlDriver } from '../store/driver.js';

/** The gateway's mail: how one-time codes go out, and the demo mailbox when it is on. */
export interface GatewayMail {
  otpSender: OtpSender;
  mailbox?: DemoMailbox;
  close(): void;
}

/**
 * Builds the mailer `mail:` configures. Without `mail.smtp` or `mail.demoMailbox` no code can be
 * sent: the order help then says so and offers a person, and the start-up log says what to set.
 */
export function createMail(
  config: Pick<GatewayConfig, 'mail' | 'shop'>,
  deps: { driver: SqlDriver; clock: Clock; localizer: Localizer; log: Logger },
): GatewayMail {
  const smtp = config.mail.smtp ? createSmtpMailer(config.mail.smtp, config.mail.from) : undefined;
  const mailbox = !smtp && config.mail.demoMailbox ? new DemoMailbox(deps.driver, () => deps.clock.now()) : undefined;
  const mailer: Mailer | undefined = smtp ?? mailbox;
  if (mailbox) deps.log.warn({ path: '/demo/mailbox' }, 'demo mailbox on: mails are kept and shown at /demo/mailbox, not sent. Set mail.smtp for production.');
  else if (!mailer) deps.log.warn({}, 'no mailer: one-time codes for order details cannot be sent. Set mail.smtp (docs/orders.md).');
  const otpSender: OtpSender = mailer
    ? createOtpMailer({ mailer, localize: (lng) => deps.localizer.forLanguage(lng), shopName: config.shop.name })
    : {
        async send() {
          throw new ParleyError('MAIL_FAILED', 'No mailer is configured: set mail.smtp (host, port, user, pass) to mail one-time codes.');
        },
      };
  return { otpSender, ...(mailbox ? { mailbox } : {}), close: () => smtp?.close() };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/**
 * `GET /demo/mailbox`: the demo mailbox's last mails, newest first, as a plain page (and
 * `/demo/mailbox.json`). Only mounted when `mail.demoMailbox` is on.
 */
export function mountDemoMailbox(app: FastifyInstance, mailbox: DemoMailbox): void {
  app.get('/demo/mailbox.json', async () => ({ mails: await mailbox.list() }));
  app.get('/demo/mailbox', async (_req, reply) => {
    const mails = await mailbox.list();
    const items = mails.length
      ? mails
          .map(
            (m) =>
              `<article><header><b>${escape(m.subject)}</b><br><small>To ${escape(m.to)} · ${new Date(m.at).toISOString().replace('T', ' ').slice(0, 19)} UTC</small></header><pre${m.language ? ` lang="${escape(m.language)}"` : ''}>${escape(m.text)}</pre></article>`,
          )
          .join('')
      : '<p>No mail yet. Ask the chat about an order, e.g. "Where is my order PS-100234?".</p>';
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="refresh" content="10"><title>Demo mailbox</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2937}article{border:1px solid #d1d5db;border-radius:8px;padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;font:inherit}small{color:#4b5563}</style></head><body><h1>Demo mailbox</h1><p>Mails the demo shop would have sent (<code>mail.demoMailbox</code>). A real shop sets <code>mail.smtp</code> and has no such page.</p>${items}</body></html>`,
      );
  });
}
