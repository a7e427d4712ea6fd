import type { ChannelAdapter } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { type EmailConfig, emailConfigSchema, missingSettings } from './config.js';

/**
 * The `email` channel type.
 *
 * @example
 * ```yaml
 * channels:
 *   support:
 *     type: email
 *     address: support@shop.example
 *     imap: { host: imap.shop.example, user: support@shop.example, pass: "${IMAP_PASS}" }
 *     footer: "Shop Example · https://shop.example"
 *   orders:
 *     type: email
 *     address: orders@shop.example
 *     inbound: { provider: mailgun, signingKey: "${MAILGUN_WEBHOOK_SIGNING_KEY}" }
 * ```
 */
export const emailChannel: ChannelDefinition<EmailConfig, Promise<ChannelAdapter>> = {
  type: 'email',
  parseConfig: (raw) => fromSafeParse(emailConfigSchema.safeParse(raw)),
  // Loaded on create: imapflow and mailparser stay out of gateways without an e-mail channel.
  create: async (config, ctx) => (await import('./adapter.js')).createEmailAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      ...(config.imap
        ? [`IMAP: ${config.imap.user} at ${config.imap.host}:${config.imap.port}, mailbox ${config.imap.mailbox}; one gateway instance reads it at a time.`]
        : []),
      ...(config.inbound?.provider === 'postmark'
        ? ["Postmark: set the server's inbound webhook to the URL above with the credentials in it: https://<user>:<pass>@<host>/webhooks/<id>."]
        : []),
      ...(config.inbound?.provider === 'mailgun'
        ? [
            'Mailgun: add a route for the address with the action forward("<the URL above>"); POSTs are checked with the HTTP webhook signing key and refused when older than 5 minutes or seen before.',
          ]
        : []),
      config.smtp ? `Replies go through ${config.smtp.host}:${config.smtp.port}.` : 'Replies go through mail.smtp: set it, or smtp in this block.',
    ],
  }),
};
