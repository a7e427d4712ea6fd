import { Telegram, TelegramError } from 'telegraf';
import type { ConversationRef } from '../../src/core/message.js';
import { DeliveryError, type DeliveryReason } from '../../src/core/errors.js';
import type { FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { deadline } from '../../src/core/http.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import type { TelegramPayload } from './render.js';

/** The update kinds Parley asks Telegram for (webhook and polling alike). */
const allowedUpdates = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** A raw update as getUpdates returns it; normalised by the same code as webhook bodies. */
export type RawUpdate = Record<string, unknown>;

type CallOptions = { timeoutMs?: number; signal?: AbortSignal };
type TelegrafSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

const authHint = 'Check TELEGRAM_BOT_TOKEN.';

/**
 * The Bot API client, built on telegraf's `Telegram` class with a configurable `apiRoot` so tests
 * run it against a local server. Only the API client is used: telegraf's update handling (which
 * calls getMe for botInfo) and its polling loop (no lease, no stored offset) are not, because
 * Parley normalises updates itself and polls under a lease.
 *
 * telegraf fetches through its own node-fetch, not `ctx.fetch`; only file downloads use `ctx.fetch`.
 */
export class TelegramClient {
  private readonly telegram: Telegram | undefined;

  constructor(
    private readonly token: string | undefined,
    apiRoot: string,
    private readonly fetchFn: typeof fetch,
  ) {
    // Why webhookReply off: telegraf would otherwise answer calls inside a webhook response it does not own here.
    this.telegram = token ? new Telegram(token, { apiRoot, webhookReply: false }) : undefined;
  }

  /** Calls a Bot API method; failures become {@link DeliveryError}s with the reason {@link toDeliveryError} gives. */
  async call<T>(method: string, params: object, options: CallOptions = {}): Promise<T> {
    if (!this.telegram) {
      throw new DeliveryError('auth', `Telegram ${method} failed: no bot token. Set TELEGRAM_BOT_TOKEN.`);
    }
    const timeout = deadline(options.timeoutMs ?? 10_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;
    try {
      // Why the casts: payloads are typed by render.ts; telegraf's per-method generics cannot follow a runtime method name.
      const call = this.telegram.callApi.bind(this.telegram) as (m: string, p: object, o: { signal?: TelegrafSignal }) => Promise<unknown>;
      return (await call(method, params, { signal: signal as unknown as TelegrafSignal })) as T;
    } catch (err) {
      throw toDeliveryError(err, method, this.token);
    } finally {
      timeout.clear();
    }
  }

  /** Sends one rendered payload; returns the new message's id. */
  async send(payload: TelegramPayload): Promise<string> {
    const message = await this.call<{ message_id: number }>(payload.method, payload.params);
    return String(message.message_id);
  }

  /** Shows "typing…" for up to five seconds (or until the next message). */
  async sendTyping(ref: ConversationRef): Promise<void> {
    const thread = ref.threadId ? { message_thread_id: Number(ref.threadId) } : {};
    await this.call('sendChatAction', { chat_id: ref.chatId, action: 'typing', ...thread });
  }

  /** Registers the webhook with its secret; Telegram then sends the secret in every update's header. */
  async setWebhook(url: string, secretToken: string, dropPendingUpdates: boolean): Promise<void> {
    await this.call('setWebhook', {
      url,
      secret_token: secretToken,
      allowed_updates: allowedUpdates,
      drop_pending_updates: dropPendingUpdates,
    });
  }

  /** Removes the webhook; getUpdates refuses to work while one is set. */
  async deleteWebhook(dropPendingUpdates: boolean): Promise<void> {
    await this.call('deleteWebhook', { drop_pending_updates: dropPendingUpdates });
  }

  /** Long-polls for updates from `offset` on. */
  getUpdates(offset: number | undefined, timeoutSec: number, signal: AbortSignal): Promise<RawUpdate[]> {
    const params = { offset, timeout: timeoutSec, allowed_updates: allowedUpdates };
    return this.call<RawUpdate[]>('getUpdates', params, { signal, timeoutMs: timeoutSec * 1000 + 10_000 });
  }

  /** Stops a pressed button's spinner. */
  async answerCallbackQuery(callbackQueryId: string): Promise<void> {
    await this.call('answerCallbackQuery', { callback_query_id: callbackQueryId });
  }

  /**
   * Fetches a file Telegram hosts (`platform:<file_id>` media): `getFile` for its path, then the
   * file endpoint. The Bot API hands out files up to 20 MB. https://core.telegram.org/bots/api#getfile
   */
  async download(fileId: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
    const file = await this.call<{ file_path?: string; file_size?: number }>('getFile', { file_id: fileId });
    if (!file.file_path || !this.telegram) {
      throw new DeliveryError('invalid', 'Telegram getFile gave no file_path (files over 20 MB cannot be downloaded).');
    }
    if (options.maxBytes !== undefined && (file.file_size ?? 0) > options.maxBytes) {
      throw new DeliveryError('invalid', `Telegram file refused: ${file.file_size} bytes.`, { details: { maxBytes: options.maxBytes } });
    }
    const url = await this.telegram.getFileLink({ file_id: fileId, file_unique_id: '', file_path: file.file_path });
    // The file URL carries the token: fetchMediaBytes never puts a URL in its errors.
    return fetchMediaBytes(this.fetchFn, url.toString(), { label: 'Telegram file download', authHint, ...options });
  }
}

/**
 * What a Bot API error code means. A wrong token answers 401, or 404 (the token is part of the
 * URL); 403 is "bot was blocked by the user", "user is deactivated" or "bot is not a member".
 * https://core.telegram.org/api/errors
 */
function reasonFor(status: number): DeliveryReason {
  if (status === 401 || status === 404) return 'auth';
  if (status === 403) return 'blocked';
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'transient' : 'invalid';
}

function hintFor(reason: DeliveryReason, method: string): string {
  if (reason === 'auth') return ` ${authHint}`;
  if (reason === 'blocked') return ' The user blocked the bot or the bot is not in the chat.';
  if (reason === 'rate_limited' || reason === 'transient') return ' Retrying.';
  if (method === 'setWebhook') return ' Check that the public URL is HTTPS on port 443, 80, 88 or 8443.';
  return '';
}

/**
 * Maps telegraf's errors to Parley's. The TelegramError itself is not kept as `cause`: its `on`
 * field holds the request payload, i.e. message text, which must not reach logs.
 */
function toDeliveryError(err: unknown, method: string, token: string | undefined): DeliveryError {
  if (err instanceof TelegramError) {
    const status = err.code;
    const reason = reasonFor(status);
    const retryAfterSec = err.parameters?.retry_after;
    return new DeliveryError(reason, `Telegram ${method} failed (${status} ${err.description}).${hintFor(reason, method)}`, {
      ...(retryAfterSec && retryAfterSec > 0 ? { retryAfterMs: retryAfterSec * 1000 } : {}),
      details: { method, status, description: err.description },
    });
  }
  const name = err instanceof Error ? err.name : 'Error';
  const message = err instanceof Error ? err.message : String(err);
  // Why redact: node-fetch errors quote the request URL, which contains the bot token.
  const safe = token ? message.split(token).join('[REDACTED]') : message;
  return new DeliveryError('transient', `Telegram ${method} did not answer (${name}: ${safe}). Retrying.`, { details: { method } });
}
