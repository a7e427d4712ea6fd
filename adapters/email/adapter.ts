import type { AdapterContext, ChannelAdapter } from '../../src/core/adapter.js';
import { emailCapabilities } from './capabilities.js';
import { SmtpClient } from './client.js';
import type { EmailConfig } from './config.js';
import { ImapReader } from './imap.js';
import { attachmentBytes, normalizeMailgun, normalizeWebhook } from './normalize.js';
import { type EmailPayload, renderMail } from './render.js';
import { type MailgunForm, verifyBasicAuth, verifyMailgun } from './verify.js';

/** Fixed strings when the gateway gives none (unit tests): the keys themselves. */
const keysOnly = () => (key: string) => key;

/**
 * Creates an e-mail channel instance: mail in over IMAP (`imap`) and/or a provider's inbound
 * webhook (`inbound`: Postmark or Mailgun), replies out over SMTP.
 *
 * @example
 * ```ts
 * const email = createEmailAdapter(emailConfigSchema.parse({ address: 'support@shop.example', imap }), ctx);
 * await email.start?.(); // this instance reads the mailbox while it holds the lease
 * ```
 */
export function createEmailAdapter(config: EmailConfig, ctx: AdapterContext): ChannelAdapter<EmailPayload> {
  const email = { channelId: ctx.channelId, address: config.address.toLowerCase() };
  const smtp = new SmtpClient(config, ctx);
  const reader = config.imap ? new ImapReader(config.imap, config, ctx, email) : undefined;
  const inbound = config.inbound;
  const basicAuth = inbound?.provider === 'postmark' ? inbound.basicAuth : undefined;
  const mailgun =
    inbound?.provider === 'mailgun' ? { signingKey: inbound.signingKey, channelId: ctx.channelId, clock: ctx.clock, state: ctx.state } : undefined;
  const renderOptions = { localize: ctx.localize ?? keysOnly, ...(config.footer ? { footer: config.footer } : {}) };
  return {
    type: 'email',
    id: ctx.channelId,
    capabilities: emailCapabilities,
    verify: (req) => (mailgun ? verifyMailgun(req, mailgun) : verifyBasicAuth(req, basicAuth)),
    normalize: (req) => (mailgun ? normalizeMailgun(req.verified as MailgunForm, email) : normalizeWebhook(req.body, email)),
    render: (message, ref) => renderMail(message, ref, renderOptions),
    deliver: (ref, payloads, envelope) => smtp.deliver(ref, payloads, envelope),
    fetchMedia: async (url, options) => attachmentBytes(url, options?.raw, options),
    start: async () => reader?.start(),
    stop: async () => {
      await reader?.stop();
      smtp.close();
    },
  };
}
