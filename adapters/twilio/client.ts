import type { AdapterContext, DeliveryEnvelope, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import { DeliveryError, type DeliveryReason, retriesOn } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { TwilioConfig } from './config.js';
import type { TwilioPayload } from './render.js';

const AUTH_HINT = 'Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN.';
/** How long a sent part of a multi-part delivery is remembered, so a retry skips it. */
const SENT_MEMORY_MS = 24 * 60 * 60 * 1000;

/**
 * Twilio error codes that change what the outbox should do; other failures keep the reason
 * their HTTP status gives (429 rate limited, 5xx transient, other 4xx invalid).
 * https://www.twilio.com/docs/api/errors
 */
const twilioRules: Record<number, { reason: DeliveryReason; advice: string; waitMs?: number }> = {
  20003: { reason: 'auth', advice: `Authentication failed. ${AUTH_HINT}` },
  20429: { reason: 'rate_limited', advice: 'Too many concurrent requests. Retrying.', waitMs: 1_000 },
  21610: { reason: 'blocked', advice: 'The recipient texted STOP: Twilio sends nothing to them until they text START.' },
  21211: { reason: 'invalid', advice: "The 'To' number is not a valid phone number." },
  21614: { reason: 'invalid', advice: "The 'To' number cannot receive SMS (not a mobile number)." },
  21408: { reason: 'blocked', advice: 'Sending to this region is not enabled: turn it on in the Console (Messaging → Settings → Geo permissions).' },
  21606: { reason: 'invalid', advice: "The 'from' number cannot send SMS, or does not belong to this account: check `from`." },
  21612: { reason: 'invalid', advice: "The 'To' number cannot be reached from this sender." },
  21617: { reason: 'invalid', advice: 'The body exceeds 1,600 characters.' },
};

/** The id of a created Message resource. */
interface MessageResource {
  sid?: unknown;
}

/** Reads Twilio's `{ code, message }` error body and says what it means. */
function withTwilioCode(err: unknown, label: string): unknown {
  if (!(err instanceof DeliveryError)) return err;
  const body = err.details.body as { code?: unknown } | undefined;
  const code = typeof body?.code === 'number' ? body.code : undefined;
  const rule = code === undefined ? undefined : twilioRules[code];
  if (code === undefined || !rule) return err;
  const retryAfterMs = err.retryAfterMs ?? (retriesOn(rule.reason) ? rule.waitMs : undefined);
  return new DeliveryError(rule.reason, `${label} failed (HTTP ${String(err.details.status)}, Twilio error ${code}). ${rule.advice}`, {
    cause: err,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details: { ...err.details, twilioCode: code },
  });
}

/** The shopper's address: as they wrote from, else the E.164 number their id is. */
function recipient(ref: ConversationRef): string {
  const address = ref.extra?.address;
  if (typeof address === 'string' && address) return address;
  return /^\d{6,15}$/.test(ref.chatId) ? `+${ref.chatId}` : ref.chatId;
}

/** Calls Twilio's Messages API for one channel instance. */
export class TwilioClient {
  constructor(
    private readonly config: TwilioConfig,
    private readonly ctx: AdapterContext,
    /** The status callback URL (the signed webhook URL), when statuses are wanted. */
    private readonly statusCallback: string | undefined,
  ) {}

  private authorization(): string {
    const { accountSid, authToken } = this.config;
    if (!accountSid || !authToken) {
      throw new DeliveryError('auth', `Twilio channel "${this.ctx.channelId}" has no account SID or auth token. ${AUTH_HINT}`);
    }
    return `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  }

  /**
   * Fetches an MMS medium (`MediaUrlN`) with the account's credentials: Twilio answers with a
   * redirect to the file (https://www.twilio.com/docs/messaging/api/media-resource#fetch-a-media-resource).
   * Only Twilio's own API host gets the credentials.
   */
  async fetchMedia(url: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
    const own = new URL(url).origin === new URL(this.config.apiRoot).origin;
    return fetchMediaBytes(this.ctx.fetch, url, {
      label: 'Twilio media download',
      authHint: AUTH_HINT,
      ...(own ? { headers: { authorization: this.authorization() } } : {}),
      ...options,
    });
  }

  /** `From` or `MessagingServiceSid`: the service when configured, else the number the shopper wrote to, else `from`. */
  private sender(ref: ConversationRef): [string, string] {
    if (this.config.messagingServiceSid) return ['MessagingServiceSid', this.config.messagingServiceSid];
    const via = ref.extra?.via;
    const from = typeof via === 'string' && via ? via : this.config.from;
    if (!from) throw new DeliveryError('invalid', `Twilio channel "${this.ctx.channelId}" has no sender: set \`from\` or \`messagingServiceSid\`.`);
    return ['From', from];
  }

  /**
   * Sends each payload as one Message resource, in order. The Messages API takes no idempotency
   * key, so parts already sent on an earlier attempt are remembered and skipped.
   */
  async deliver(ref: ConversationRef, payloads: TwilioPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const key = `twilio:${this.ctx.channelId}:sent:${envelope.idempotencyKey}:${i}`;
      const remembered = payloads.length > 1 ? await this.ctx.state.get(key) : undefined;
      const id = remembered ?? (await this.send(ref, payload));
      if (!remembered && payloads.length > 1) await this.ctx.state.set(key, id, this.ctx.clock.now() + SENT_MEMORY_MS);
      ids.push(id);
    }
    return { platformMessageIds: ids };
  }

  /** POST /2010-04-01/Accounts/{AccountSid}/Messages.json; returns the message SID. */
  async send(ref: ConversationRef, payload: TwilioPayload): Promise<string> {
    const authorization = this.authorization();
    const form = new URLSearchParams({ To: recipient(ref) });
    form.append(...this.sender(ref));
    if (payload.body) form.append('Body', payload.body);
    for (const url of payload.mediaUrls ?? []) form.append('MediaUrl', url);
    if (this.statusCallback) form.append('StatusCallback', this.statusCallback);
    const label = 'Twilio create message';
    const url = `${this.config.apiRoot}/2010-04-01/Accounts/${encodeURIComponent(this.config.accountSid ?? '')}/Messages.json`;
    try {
      const res = await callApi<MessageResource>(
        this.ctx.fetch,
        url,
        { method: 'POST', headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() },
        { label, authHint: AUTH_HINT },
      );
      // Not retried: a 2xx means Twilio took the message, and a retry would send it twice.
      if (typeof res.body?.sid !== 'string') throw new DeliveryError('invalid', `${label} answered without a message SID.`);
      return res.body.sid;
    } catch (err) {
      throw withTwilioCode(err, label);
    }
  }
}
