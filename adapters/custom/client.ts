import { createHash } from 'node:crypto';
import type { AdapterContext, DeliveryEnvelope, DeliveryReceipt } from '../../src/core/adapter.js';
import { DeliveryError, type DeliveryReason, retriesOn } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { OutboundConfig } from './config.js';
import { compile, expressionError, plain } from './expressions.js';
import type { CustomPayload } from './render.js';

/** How long a sent part of a multi-part delivery is remembered, so a retry skips it. */
const SENT_MEMORY_MS = 24 * 60 * 60 * 1000;
/** A fetched token is dropped this long before the platform says it expires. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;

/**
 * The key one request carries as `idempotencyKey` (Feishu's `uuid`): the same on every retry of
 * this part of this message, 32 hex characters so it fits platforms' limits (Feishu: 50).
 */
export function requestKey(idempotencyKey: string, part: number): string {
  return createHash('sha256').update(`${idempotencyKey}:${part}`).digest('hex').slice(0, 32);
}

/** Header names in lower case, so a configured `Content-Type` replaces the default instead of joining it. */
function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** Calls the platform as a custom channel's `outbound` block describes, one request per payload. */
export class CustomClient {
  private readonly label: string;
  private readonly authHint: string;

  constructor(
    private readonly config: OutboundConfig,
    private readonly ctx: AdapterContext,
  ) {
    this.label = `Custom channel "${ctx.channelId}" send`;
    this.authHint = `Check channels.${ctx.channelId}.outbound (headers, token) and the env vars they name.`;
  }

  /** Sends each payload in order; parts already sent on an earlier attempt are skipped. */
  async deliver(ref: ConversationRef, payloads: CustomPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const key = `custom:${this.ctx.channelId}:sent:${envelope.idempotencyKey}:${i}`;
      const remembered = payloads.length > 1 ? await this.ctx.state.get(key) : undefined;
      const id = remembered ?? (await this.send(ref, payload, requestKey(envelope.idempotencyKey, i)));
      if (!remembered && payloads.length > 1) await this.ctx.state.set(key, id, this.ctx.clock.now() + SENT_MEMORY_MS);
      if (id) ids.push(id);
    }
    return { platformMessageIds: ids };
  }

  /** What the URL and body expressions read: the payload, the conversation and what the inbound block kept. */
  private input(ref: ConversationRef, payload: CustomPayload, idempotencyKey: string): Record<string, unknown> {
    return {
      ...payload,
      ...(payload.kind === 'image' ? { image: { url: payload.url, caption: payload.caption } } : {}),
      chatId: ref.chatId,
      userId: ref.userId,
      threadId: ref.threadId,
      extra: ref.extra ?? {},
      idempotencyKey,
    };
  }

  private async evaluate(key: string, source: string, input: unknown): Promise<unknown> {
    try {
      return plain(await compile(source).evaluate(input));
    } catch (err) {
      throw new DeliveryError('invalid', `${this.label}: outbound.${key} failed (${expressionError(err)}). Fix the expression.`, { cause: err });
    }
  }

  private async url(input: Record<string, unknown>): Promise<string> {
    if (this.config.url) return this.config.url;
    const url = await this.evaluate('urlFrom', this.config.urlFrom as string, input);
    if (typeof url !== 'string' || !url)
      throw new DeliveryError('blocked', `${this.label}: outbound.urlFrom gave no URL for this conversation (a reply address that expired or was never sent).`);
    // Why a prefix list: the URL comes from a webhook body; without it a forged or replayed event could point sends anywhere.
    if (!this.config.allowedUrlPrefixes.some((prefix) => url.startsWith(prefix)))
      throw new DeliveryError('invalid', `${this.label}: the URL from outbound.urlFrom is not under outbound.allowedUrlPrefixes; not sent.`);
    return url;
  }

  private bodySource(payload: CustomPayload): string {
    if (payload.kind === 'image') return this.config.imageBody ?? this.config.body;
    if (payload.kind === 'buttons') return this.config.buttonsBody ?? this.config.body;
    return this.config.body;
  }

  /** One request; returns the platform's message id ('' when the platform gives none). */
  async send(ref: ConversationRef, payload: CustomPayload, idempotencyKey: string, renewToken = true): Promise<string> {
    const input = this.input(ref, payload, idempotencyKey);
    const url = await this.url(input);
    const body = await this.evaluate(
      payload.kind === 'text' ? 'body' : `${payload.kind === 'image' ? 'imageBody' : 'buttonsBody'}`,
      this.bodySource(payload),
      input,
    );
    const headers = lowerCased({ 'content-type': 'application/json; charset=utf-8', ...this.config.headers });
    if (this.config.token)
      headers[this.config.token.header.toLowerCase()] = `${this.config.token.scheme ? `${this.config.token.scheme} ` : ''}${await this.token()}`;
    try {
      const res = await callApi(
        this.ctx.fetch,
        url,
        { method: this.config.method, headers, body: typeof body === 'string' ? body : JSON.stringify(body ?? {}) },
        { label: this.label, authHint: this.authHint, timeoutMs: this.config.timeoutMs },
      );
      await this.checkAnswer(res.status, res.body);
      if (!this.config.messageId) return '';
      const id = await this.evaluate('messageId', this.config.messageId, res.body);
      return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
    } catch (err) {
      const mapped = this.mapError(err);
      // A token the platform no longer takes: fetch a fresh one and try once more.
      if (mapped instanceof DeliveryError && mapped.reason === 'auth' && this.config.token && renewToken) {
        await this.ctx.state.set(this.tokenKey(), '', this.ctx.clock.now());
        return this.send(ref, payload, idempotencyKey, false);
      }
      throw mapped;
    }
  }

  /** A 2xx answer that says it failed (`okWhen` false): the error code's reason, else `invalid`. */
  private async checkAnswer(status: number, body: unknown): Promise<void> {
    if (!this.config.okWhen || (await this.evaluate('okWhen', this.config.okWhen, body ?? {}))) return;
    const code = this.config.errorCode ? await this.evaluate('errorCode', this.config.errorCode, body ?? {}) : undefined;
    const reason = this.reasonFor(code) ?? 'invalid';
    const text = code === undefined ? '' : `, platform error ${String(code)}`;
    throw new DeliveryError(reason, `${this.label} refused (HTTP ${status}${text}).${retriesOn(reason) ? ' Retrying.' : ''}`, {
      ...(reason === 'rate_limited' ? { retryAfterMs: 1000 } : {}),
      details: { status, platformCode: code },
    });
  }

  private reasonFor(code: unknown): DeliveryReason | undefined {
    return typeof code === 'string' || typeof code === 'number' ? this.config.errors[String(code)] : undefined;
  }

  /**
   * Applies the block's `retryOn` and `errors` to a failed call: a listed status is retried
   * (429 as a rate limit, honouring Retry-After), an unlisted one is not, and a platform error
   * code in the body decides where the block names it.
   */
  private mapError(err: unknown): unknown {
    if (!(err instanceof DeliveryError)) return err;
    const status = typeof err.details.status === 'number' ? err.details.status : undefined;
    // A 2xx that said it failed was judged by checkAnswer already.
    if (status !== undefined && status < 400) return err;
    const code = (err.details.body as { code?: unknown } | undefined)?.code;
    let reason = this.reasonFor(code) ?? err.reason;
    if (status !== undefined && !this.reasonFor(code)) {
      const listed = this.config.retryOn.includes(status);
      if (listed && !retriesOn(reason)) reason = status === 429 ? 'rate_limited' : 'transient';
      if (!listed && retriesOn(reason)) reason = 'invalid';
    }
    if (reason === err.reason) return err;
    return new DeliveryError(reason, `${err.message}${code === undefined ? '' : ` Platform error ${String(code)}.`}`, {
      cause: err,
      ...(err.retryAfterMs !== undefined && retriesOn(reason) ? { retryAfterMs: err.retryAfterMs } : {}),
      details: { ...err.details },
    });
  }

  private tokenKey(): string {
    return `custom:${this.ctx.channelId}:token`;
  }

  /** The cached token, or a new one from `outbound.token` (shared by every gateway instance through the state store). */
  private async token(): Promise<string> {
    const cached = await this.ctx.state.get(this.tokenKey());
    if (cached) return cached;
    const t = this.config.token;
    if (!t) return '';
    const label = `Custom channel "${this.ctx.channelId}" token`;
    const res = await callApi(
      this.ctx.fetch,
      t.url,
      {
        method: t.method,
        headers: lowerCased({ 'content-type': 'application/json; charset=utf-8', ...t.headers }),
        ...(t.body ? { body: JSON.stringify(t.body) } : {}),
      },
      { label, authHint: `Check channels.${this.ctx.channelId}.outbound.token and the env vars it names.`, timeoutMs: this.config.timeoutMs },
    );
    const token = await this.evaluate('token.token', t.token, res.body ?? {});
    if (typeof token !== 'string' || !token)
      throw new DeliveryError('auth', `${label}: the answer has no token (outbound.token.token read nothing). ${this.authHint}`);
    const seconds = t.expiresIn ? Number(await this.evaluate('token.expiresIn', t.expiresIn, res.body ?? {})) : 3600;
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3600_000;
    await this.ctx.state.set(this.tokenKey(), token, this.ctx.clock.now() + Math.max(lifetime - TOKEN_MARGIN_MS, lifetime / 2));
    return token;
  }
}
