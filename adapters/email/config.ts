import { z } from 'zod';

const secret = z.string().min(1);

/** An SMTP server: the channel's own, or the gateway's `mail.smtp` when absent. */
const smtpSchema = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535).default(587),
    /** true: TLS from the start (port 465); false: STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().optional(),
    pass: z.string().optional(),
  })
  .strict();

/** The mailbox Parley reads over IMAP (IDLE for new mail, a poll as a safety net). */
const imapSchema = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(1).max(65535).default(993),
    /** true: TLS from the start (993); false: plain, upgraded with STARTTLS when offered. */
    secure: z.boolean().default(true),
    user: z.string().min(1),
    /** The mailbox password or app password (e.g. IMAP_PASS). */
    pass: secret.optional(),
    mailbox: z.string().min(1).default('INBOX'),
    /** Look for new mail this often even when IDLE reports nothing (servers drop IDLE silently). */
    pollMs: z.coerce.number().int().min(1_000).default(60_000),
    /** Mail larger than this is marked read and skipped (logged), never parsed. */
    maxBytes: z.coerce
      .number()
      .int()
      .min(1_024)
      .default(25 * 1024 * 1024),
  })
  .strict();

/** Postmark's inbound webhook: JSON, authenticated with HTTP Basic credentials (Postmark signs nothing). */
const postmarkSchema = z
  .object({
    provider: z.literal('postmark'),
    basicAuth: z.object({ user: z.string().min(1), pass: secret.optional() }).strict(),
  })
  .strict();

/** A Mailgun route forwarding to the webhook: a form signed with the domain's webhook signing key. */
const mailgunSchema = z
  .object({
    provider: z.literal('mailgun'),
    /** Mailgun → Settings → Webhooks → HTTP webhook signing key (e.g. MAILGUN_WEBHOOK_SIGNING_KEY). */
    signingKey: secret.optional(),
  })
  .strict();

/** A provider's inbound webhook. */
const inboundSchema = z.discriminatedUnion('provider', [postmarkSchema, mailgunSchema]);

/**
 * The block under `channels.<id>` with `type: email`: a shop address read over IMAP and/or
 * through a provider's inbound webhook (Postmark or Mailgun), answered over SMTP.
 */
export const emailConfigSchema = z
  .object({
    /** The shop's address: replies come From it; mail From it is never answered. */
    address: z.email(),
    /** The display name in From, e.g. "Shop Example Support". */
    name: z.string().min(1).optional(),
    imap: imapSchema.optional(),
    inbound: inboundSchema.optional(),
    /** An SMTP server for this channel only; default: the gateway's `mail.smtp`. */
    smtp: smtpSchema.optional(),
    /** A line under every reply, e.g. "Shop Example · https://shop.example". */
    footer: z.string().min(1).optional(),
    /** How long one instance owns the IMAP mailbox without renewing (renewed every third). */
    leaseMs: z.coerce.number().int().min(3_000).default(30_000),
  })
  .strict();

/** A validated e-mail channel block. */
export type EmailConfig = z.output<typeof emailConfigSchema>;

/** Settings still missing, each naming the env var it usually comes from. */
export function missingSettings(config: EmailConfig): string[] {
  const missing: string[] = [];
  if (!config.imap && !config.inbound) missing.push('imap or inbound (where mail to the address arrives)');
  if (config.imap && !config.imap.pass) missing.push('imap.pass (IMAP_PASS)');
  if (config.inbound?.provider === 'postmark' && !config.inbound.basicAuth.pass) missing.push('inbound.basicAuth.pass (POSTMARK_HOOK_PASS)');
  if (config.inbound?.provider === 'mailgun' && !config.inbound.signingKey) missing.push('inbound.signingKey (MAILGUN_WEBHOOK_SIGNING_KEY)');
  return missing;
}
