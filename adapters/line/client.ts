import { createHash } from 'node:crypto';
import type { AdapterContext, DeliveryEnvelope, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { DeliveryError } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import { fetchMediaBytes, mediaFromResponse } from '../../src/core/media.js';
import type { ConversationRef } from '../../src/core/message.js';
import { maxMessagesPerRequest, replyTokenWindowMs } from './capabilities.js';
import type { LineConfig } from './config.js';
import type { LineMessageObject } from './render.js';

const authHint = 'Check LINE_CHANNEL_ACCESS_TOKEN.';
const sentRecordTtlMs = 24 * 60 * 60 * 1000;

interface SendResponse {
  sentMessages?: { id?: unknown }[];
}

/**
 * LINE's `X-Line-Retry-Key` must be a UUID; it is derived from the outbox key (and the batch
 * number) so every retry of one batch carries the same key and LINE sends it at most once.
 * Formatted like a v5 UUID: SHA-1 of a fixed prefix and the key, version and variant bits set.
 *
 * @example
 * ```ts
 * retryKey('msg-42', 0); // always the same 'xxxxxxxx-xxxx-5xxx-[89ab]xxx-xxxxxxxxxxxx'
 * ```
 */
export function retryKey(idempotencyKey: string, batch: number): string {
  const h = createHash('sha1').update(`parley:line:retry-key\0${idempotencyKey}\0${batch}`).digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function messageIds(body: SendResponse | undefined): string[] {
  return (body?.sentMessages ?? []).flatMap((m) => (typeof m.id === 'string' ? [m.id] : []));
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const failedWith = (err: unknown, status: number): err is DeliveryError => err instanceof DeliveryError && err.details.status === status;

// Why: an expired or already used token answers 400 {"message":"Invalid reply token"}.
function isInvalidReplyToken(err: unknown): boolean {
  if (!failedWith(err, 400)) return false;
  const body = err.details.body as { error?: unknown } | undefined;
  return /invalid reply token/i.test(String(body?.error ?? ''));
}

/** Calls LINE's Messaging API for one channel instance. */
export class LineClient {
  constructor(
    private readonly config: LineConfig,
    private readonly ctx: AdapterContext,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = this.config.channelAccessToken;
    if (!token) {
      throw new DeliveryError('auth', `LINE channel "${this.ctx.channelId}" has no channel access token. Set LINE_CHANNEL_ACCESS_TOKEN.`);
    }
    return { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra };
  }

  private stateKey(...parts: string[]): string {
    return ['line', this.ctx.channelId, ...parts].join(':');
  }

  /**
   * Sends the message objects in batches of five: the first batch as a reply while the event's
   * reply token is fresh and unused (replies are free), everything else by push with a retry key.
   * Batches already sent on an earlier attempt are skipped, so a retry never repeats them.
   */
  async deliver(ref: ConversationRef, payloads: LineMessageObject[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const [index, messages] of batches(payloads, maxMessagesPerRequest).entries()) {
      const record = this.stateKey('sent', envelope.idempotencyKey, String(index));
      const earlier = await this.ctx.state.get(record);
      if (earlier !== undefined) {
        ids.push(...(JSON.parse(earlier) as string[]));
        continue;
      }
      const sent = await this.sendBatch(ref, messages, retryKey(envelope.idempotencyKey, index), record);
      await this.ctx.state.set(record, JSON.stringify(sent), this.ctx.clock.now() + sentRecordTtlMs);
      ids.push(...sent);
    }
    return { platformMessageIds: ids };
  }

  private async sendBatch(ref: ConversationRef, messages: LineMessageObject[], key: string, batch: string): Promise<string[]> {
    const claim = await this.claimReplyToken(ref, batch);
    if (claim) {
      try {
        return await this.reply(claim.token, messages);
      } catch (err) {
        // This batch's own earlier reply, whose answer never arrived (its instance was killed, or the
        // call timed out), used the token: LINE took that reply, and a push would repeat it.
        if (claim.again && isInvalidReplyToken(err)) {
          this.ctx.log.info({ channel: this.ctx.channelId }, 'LINE reply token used by this message before: delivered then');
          return [];
        }
        // LINE answered: the token is not tried again; this attempt or the next pushes.
        if (err instanceof DeliveryError && err.details.status !== undefined) await this.ctx.state.set(this.tokenKey(claim.token), 'answered', claim.expires);
        if (!isInvalidReplyToken(err)) throw err;
        this.ctx.log.info({ channel: this.ctx.channelId }, 'LINE reply token refused; pushing instead');
      }
    }
    return this.push(ref.chatId, messages, key);
  }

  private tokenKey(token: string): string {
    return this.stateKey('reply-token', token);
  }

  /**
   * A reply token is used once, within {@link replyTokenWindowMs} of its event, by the first batch
   * that claims it: the claim is stored before the call, naming the batch. The same batch claims it
   * again on a retry when the earlier call got no answer (`again`): LINE either never saw that
   * call, and the reply goes now, or refuses the used token, and the message was delivered then.
   * Once LINE has answered a call with the token, or another batch holds it, the batch pushes.
   */
  private async claimReplyToken(ref: ConversationRef, batch: string): Promise<{ token: string; again: boolean; expires: number } | undefined> {
    const token = ref.extra?.replyToken;
    const at = ref.extra?.replyTokenAt;
    if (typeof token !== 'string' || typeof at !== 'number') return undefined;
    if (this.ctx.clock.now() - at > replyTokenWindowMs) return undefined;
    const key = this.tokenKey(token);
    const expires = at + 5 * 60_000;
    const holder = await this.ctx.state.get(key);
    if (holder !== undefined) return holder === batch ? { token, again: true, expires } : undefined;
    await this.ctx.state.set(key, batch, expires);
    return { token, again: false, expires };
  }

  private async reply(replyToken: string, messages: LineMessageObject[]): Promise<string[]> {
    const res = await callApi<SendResponse>(
      this.ctx.fetch,
      `${this.config.apiBaseUrl}/v2/bot/message/reply`,
      { method: 'POST', headers: this.headers(), body: JSON.stringify({ replyToken, messages }) },
      { label: 'LINE reply message', authHint },
    );
    return messageIds(res.body);
  }

  private async push(to: string, messages: LineMessageObject[], key: string): Promise<string[]> {
    try {
      const res = await callApi<SendResponse>(
        this.ctx.fetch,
        `${this.config.apiBaseUrl}/v2/bot/message/push`,
        { method: 'POST', headers: this.headers({ 'x-line-retry-key': key }), body: JSON.stringify({ to, messages }) },
        { label: 'LINE push message', authHint },
      );
      return messageIds(res.body);
    } catch (err) {
      // Why: 409 means LINE already accepted this retry key, i.e. an earlier attempt got through.
      // https://developers.line.biz/en/docs/messaging-api/retrying-api-request/
      if (!failedWith(err, 409)) throw err;
      this.ctx.log.info({ channel: this.ctx.channelId }, 'LINE push already accepted under this retry key');
      return [];
    }
  }

  /**
   * Shows LINE's loading animation for up to 20 s. LINE offers it in one-on-one chats only.
   * https://developers.line.biz/en/reference/messaging-api/#display-a-loading-indicator
   */
  async sendTyping(ref: ConversationRef): Promise<void> {
    if (ref.chatId !== ref.userId) return;
    await callApi(
      this.ctx.fetch,
      `${this.config.apiBaseUrl}/v2/bot/chat/loading/start`,
      { method: 'POST', headers: this.headers(), body: JSON.stringify({ chatId: ref.userId, loadingSeconds: 20 }) },
      { label: 'LINE loading animation', authHint },
    );
  }

  /** Points the channel's webhook at Parley. https://developers.line.biz/en/reference/messaging-api/#set-webhook-endpoint-url */
  async setWebhook(endpoint: string): Promise<void> {
    await callApi(
      this.ctx.fetch,
      `${this.config.apiBaseUrl}/v2/bot/channel/webhook/endpoint`,
      { method: 'PUT', headers: this.headers(), body: JSON.stringify({ endpoint }) },
      { label: 'LINE set webhook endpoint', authHint },
    );
  }

  /**
   * Downloads what a shopper sent (`platform:<message id>` URLs) from the content API.
   * Video and audio may still be converting (202): that is retryable.
   * https://developers.line.biz/en/reference/messaging-api/#get-content
   */
  async fetchMedia(url: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
    const id = /^platform:(\d+)$/.exec(url)?.[1];
    // External content (`contentProvider.type: external`) is the sender's public URL: no token goes there.
    if (!id && /^https?:\/\//i.test(url)) return fetchMediaBytes(this.ctx.fetch, url, { label: 'LINE external content download', ...options });
    if (!id) throw new DeliveryError('invalid', 'LINE can only download "platform:<message id>" media or public URLs.');
    const label = 'LINE get content';
    let res: Response;
    try {
      res = await this.ctx.fetch(`${this.config.dataApiBaseUrl}/v2/bot/message/${id}/content`, {
        headers: this.headers(),
        signal: options.signal ?? AbortSignal.timeout(30_000),
      });
    } catch (cause) {
      throw new DeliveryError('transient', `${label} did not answer. Retrying.`, { cause });
    }
    // 202: the video or audio is still converting (https://developers.line.biz/en/reference/messaging-api/#get-content).
    if (res.status === 202) {
      await res.body?.cancel();
      throw new DeliveryError('transient', `${label} failed (HTTP 202: still preparing). Retrying.`, { details: { status: 202 } });
    }
    return mediaFromResponse(res, { label, authHint, ...options });
  }
}
