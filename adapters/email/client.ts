import nodemailer, { type Transporter } from 'nodemailer';
import type { AdapterContext, DeliveryEnvelope, DeliveryReceipt, OutgoingMail } from '../../src/core/adapter.js';
import { DeliveryError, type DeliveryReason } from '../../src/core/errors.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { EmailConfig } from './config.js';
import type { EmailPayload } from './render.js';
import { ourMessageId } from './thread.js';

type Smtp = NonNullable<OutgoingMail['smtp']>;

/** What nodemailer puts on an SMTP failure. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Network failures nodemailer reports: the server may answer later. */
const NETWORK = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED', 'EPROTOCOL']);

/**
 * What an SMTP failure means for the outbox. RFC 5321 §4.2.1: 4yz is transient (try again),
 * 5yz permanent. RFC 3463 enhanced codes refine a 5yz: `5.1.x` a bad address (invalid), `5.7.x`
 * refused by policy (blocked; `5.7.8`/`535` rejected credentials are auth), `5.2.x` a full or
 * disabled mailbox (blocked).
 *
 * @example
 * ```ts
 * smtpReason({ responseCode: 550, response: '550 5.1.1 No such user' }); // 'invalid'
 * smtpReason({ responseCode: 451, response: '451 4.3.0 Try later' });    // 'transient'
 * ```
 */
export function smtpReason(err: SmtpFailure): DeliveryReason {
  const status = err.responseCode;
  const enhanced = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(err.response ?? '');
  if (err.code === 'EAUTH' || status === 535 || status === 530 || status === 534 || enhanced?.[0] === '5.7.8') return 'auth';
  if (status === undefined) return NETWORK.has(err.code ?? '') || !err.code ? 'transient' : 'invalid';
  if (status >= 400 && status < 500) return 'transient';
  if (status >= 500) {
    if (enhanced?.[2] === '1') return 'invalid';
    if (enhanced?.[2] === '7' || enhanced?.[2] === '2') return 'blocked';
    return 'invalid';
  }
  return 'transient';
}

/** Sends a channel's replies over SMTP (nodemailer, one pooled connection per channel). */
export class SmtpClient {
  private transport: Transporter | undefined;
  private readonly domain: string;

  constructor(
    private readonly config: EmailConfig,
    private readonly ctx: AdapterContext,
  ) {
    this.domain = config.address.split('@')[1] ?? 'localhost';
  }

  private settings(): Smtp {
    const smtp = this.config.smtp ?? this.ctx.mail?.smtp;
    if (!smtp) {
      throw new DeliveryError('auth', `E-mail channel "${this.ctx.channelId}" has no SMTP server: set mail.smtp, or smtp in the channel's block.`);
    }
    return smtp;
  }

  private open(): Transporter {
    if (this.transport) return this.transport;
    const s = this.settings();
    this.transport = nodemailer.createTransport({
      host: s.host,
      port: s.port,
      secure: s.secure,
      pool: true,
      maxConnections: 2,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
      ...(s.user ? { auth: { user: s.user, pass: s.pass ?? '' } } : {}),
    });
    return this.transport;
  }

  /**
   * Sends each payload as one mail. SMTP takes no idempotency key: the Message-ID is derived
   * from the outbox row's key, so a retry after a lost answer carries the same id and the
   * shopper's client shows it once.
   */
  async deliver(ref: ConversationRef, payloads: EmailPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) ids.push(await this.send(ref, payload, envelope, i));
    return { platformMessageIds: ids };
  }

  private async send(ref: ConversationRef, payload: EmailPayload, envelope: DeliveryEnvelope, index: number): Promise<string> {
    const transport = this.open();
    const messageId = ourMessageId(ref.threadId ?? ref.chatId, `${envelope.idempotencyKey}:${index}`, this.domain);
    const headers: Record<string, string> = {};
    if (payload.language) headers['Content-Language'] = payload.language;
    // RFC 3834 §5: an automatic answer says so, and other responders do not answer it back.
    if (envelope.role === 'bot') headers['Auto-Submitted'] = 'auto-replied';
    try {
      await transport.sendMail({
        from: this.config.name ? { name: this.config.name, address: this.config.address } : this.config.address,
        to: payload.to,
        subject: payload.subject,
        text: payload.text,
        html: payload.html,
        messageId: `<${messageId}>`,
        ...(payload.inReplyTo ? { inReplyTo: `<${payload.inReplyTo}>` } : {}),
        ...(payload.references.length ? { references: payload.references.map((r) => `<${r}>`) } : {}),
        headers,
      });
    } catch (cause) {
      const err = cause as SmtpFailure;
      const reason = smtpReason(err);
      const what = err.responseCode ? `SMTP ${err.responseCode}` : (err.code ?? 'error');
      const hint = reason === 'auth' ? " Check the SMTP user and password (mail.smtp or the channel's smtp)." : reason === 'transient' ? ' Retrying.' : '';
      throw new DeliveryError(reason, `E-mail to the shopper failed (${what}).${hint}`, {
        cause,
        details: { ...(err.responseCode ? { status: err.responseCode } : {}), ...(err.code ? { smtpCode: err.code } : {}) },
      });
    }
    return messageId;
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }
}
