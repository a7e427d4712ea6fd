import { type Logger as SdkLogger, LogLevel, webApi } from '@slack/bolt';
import type { AdapterContext, DeliveryEnvelope, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import { DeliveryError, type DeliveryReason } from '../../src/core/errors.js';
import { reasonForStatus } from '../../src/core/http.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import type { SlackConfig } from './config.js';
import type { SlackMessage } from './render.js';

const authHint = 'Check SLACK_BOT_TOKEN.';
const sentRecordTtlMs = 24 * 60 * 60 * 1000;

// https://docs.slack.dev/reference/methods/chat.postMessage#errors ; anything else is `invalid`.
const errorReasons: Record<string, DeliveryReason> = {
  invalid_auth: 'auth',
  not_authed: 'auth',
  account_inactive: 'auth',
  token_revoked: 'auth',
  token_expired: 'auth',
  no_permission: 'auth',
  not_allowed_token_type: 'auth',
  ekm_access_denied: 'auth',
  missing_scope: 'auth',
  ratelimited: 'rate_limited',
  rate_limited: 'rate_limited',
  internal_error: 'transient',
  fatal_error: 'transient',
  service_unavailable: 'transient',
  request_timeout: 'transient',
  team_added_to_org: 'transient',
  // The bot cannot reach the conversation: like a shopper who blocked it.
  channel_not_found: 'blocked',
  not_in_channel: 'blocked',
  is_archived: 'blocked',
};
const errorHints: Record<string, string> = {
  channel_not_found: 'The bot cannot see this conversation: invite it to the channel, or check the conversation still exists.',
  not_in_channel: 'Invite the bot to the channel (/invite @bot).',
  is_archived: 'The channel is archived.',
  missing_scope: 'Add the chat:write scope to the Slack app and reinstall it.',
  invalid_blocks: 'Slack refused the Block Kit layout; this is a Parley bug, please report it.',
  msg_too_long: 'The message is too long for Slack; this is a Parley bug, please report it.',
};

/**
 * The SDK logs request bodies (message text) at debug level: debug and info are dropped, and
 * warnings and errors pass on as short strings only.
 */
function sdkLogger(log: Logger): SdkLogger {
  let level = LogLevel.WARN;
  const line = (msg: unknown[]) =>
    msg
      .filter((m) => typeof m === 'string')
      .join(' ')
      .slice(0, 300);
  return {
    debug() {},
    info() {},
    warn: (...msg: unknown[]) => log.warn({ sdk: '@slack/web-api', detail: line(msg) }, 'Slack SDK warning'),
    error: (...msg: unknown[]) => log.error({ sdk: '@slack/web-api', detail: line(msg) }, 'Slack SDK error'),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}

// Why the cast: Node's Headers has `entries()`, the DOM lib typings (without DOM.Iterable) do not.
const sdkFetch =
  (fetchFn: typeof fetch): webApi.FetchFunction =>
  async (url, init) =>
    (await fetchFn(url, init)) as unknown as Awaited<ReturnType<webApi.FetchFunction>>;

function platformError(label: string, code: string, cause: unknown): DeliveryError {
  const details = { error: code };
  const reason = errorReasons[code] ?? 'invalid';
  // missing_scope is an app-setup problem with its own hint, not a wrong token.
  const hint = errorHints[code] ?? (reason === 'auth' ? authHint : reason === 'rate_limited' || reason === 'transient' ? 'Retrying.' : undefined);
  return new DeliveryError(reason, `${label} failed (${code}).${hint ? ` ${hint}` : ''}`, { cause, details });
}

/**
 * Maps the SDK's errors to what the outbox understands: rate limits (with Slack's
 * `Retry-After`), 5xx, network errors and Slack's transient error codes are retried; auth
 * errors name SLACK_BOT_TOKEN; a conversation the bot cannot reach is `blocked`; everything
 * else is `invalid`.
 */
function toDeliveryError(err: unknown, label: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  if (err instanceof webApi.WebAPIRateLimitedError) {
    return new DeliveryError('rate_limited', `${label} was rate limited (HTTP 429). Retrying.`, {
      cause: err,
      retryAfterMs: err.retryAfter * 1000,
      details: { status: 429, error: 'ratelimited' },
    });
  }
  if (err instanceof webApi.WebAPIPlatformError) return platformError(label, err.data.error, err);
  if (err instanceof webApi.WebAPIHTTPError) {
    const status = err.statusCode;
    const reason = reasonForStatus(status);
    const hint = reason === 'auth' ? ` ${authHint}` : reason === 'transient' || reason === 'rate_limited' ? ' Retrying.' : '';
    return new DeliveryError(reason, `${label} failed (HTTP ${status}).${hint}`, { cause: err, details: { status } });
  }
  if (err instanceof webApi.WebAPIRequestError) {
    return new DeliveryError('transient', `${label} did not answer. Retrying.`, { cause: err });
  }
  // Why transient: e.g. a 429 without Retry-After, which the SDK reports as a plain Error.
  return new DeliveryError('transient', `${label} gave no usable answer. Retrying.`, { cause: err });
}

/**
 * Calls Slack's Web API for one channel instance through the SDK's `WebClient` (the one
 * `@slack/bolt` re-exports). Bolt's `App` is not built: Parley's own webhook route verifies,
 * persists and acknowledges, and an `App` would only add a receiver and a token check
 * (`auth.test`) on start-up. The client never retries or waits on its own: the outbox does,
 * with `retryAfterMs`.
 */
export class SlackClient {
  private readonly web: webApi.WebClient | undefined;

  constructor(
    private readonly config: SlackConfig,
    private readonly ctx: AdapterContext,
  ) {
    this.web = config.botToken
      ? new webApi.WebClient(config.botToken, {
          slackApiUrl: config.slackApiUrl,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          timeout: config.timeoutMs,
          fetch: sdkFetch(ctx.fetch),
          logger: sdkLogger(ctx.log.child({ channel: ctx.channelId })),
        })
      : undefined;
  }

  private client(): webApi.WebClient {
    if (this.web) return this.web;
    throw new DeliveryError('auth', `Slack channel "${this.ctx.channelId}" has no bot token. Set SLACK_BOT_TOKEN.`);
  }

  /**
   * Posts each payload with `chat.postMessage`, into the conversation's thread. Slack takes no
   * idempotency key, so each posted payload's `ts` is recorded under the outbox key: a retry
   * after a partial failure skips what Slack already shows.
   */
  async deliver(ref: ConversationRef, payloads: SlackMessage[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
    const ids: string[] = [];
    for (const [index, payload] of payloads.entries()) {
      const record = ['slack', this.ctx.channelId, 'sent', envelope.idempotencyKey, String(index)].join(':');
      // Only a retry can find a record: the first attempt skips the read.
      const earlier = envelope.attempt > 1 ? await this.ctx.state.get(record) : undefined;
      if (earlier !== undefined) {
        ids.push(earlier);
        continue;
      }
      const ts = await this.postMessage(ref, payload);
      await this.ctx.state.set(record, ts, this.ctx.clock.now() + sentRecordTtlMs);
      ids.push(ts);
    }
    return { platformMessageIds: ids };
  }

  /**
   * Fetches a file a shopper shared (`platform:<file id>`): `files.info` for its private URL,
   * which is then fetched with the bot token (needs the `files:read` scope).
   * https://docs.slack.dev/reference/methods/files.info, https://docs.slack.dev/messaging/working-with-files#downloading
   */
  async fetchMedia(url: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
    const id = /^platform:(\w+)$/.exec(url)?.[1];
    if (!id) throw new DeliveryError('invalid', 'Slack media must be a "platform:<file id>" url.');
    let file: { url_private_download?: string; url_private?: string; mimetype?: string; name?: string; size?: number } | undefined;
    try {
      file = (await this.client().files.info({ file: id })).file;
    } catch (err) {
      throw toDeliveryError(err, 'Slack files.info');
    }
    const target = file?.url_private_download ?? file?.url_private;
    if (!target) throw new DeliveryError('invalid', `Slack files.info gave no download URL for file ${id}.`);
    if (options.maxBytes !== undefined && (file?.size ?? 0) > options.maxBytes) {
      throw new DeliveryError('invalid', `Slack file refused: ${file?.size} bytes.`, { details: { maxBytes: options.maxBytes } });
    }
    return fetchMediaBytes(this.ctx.fetch, target, {
      label: 'Slack file download',
      authHint: 'Check SLACK_BOT_TOKEN and the files:read scope.',
      headers: { authorization: `Bearer ${this.config.botToken ?? ''}` },
      ...(file?.mimetype ? { mimeType: file.mimetype } : {}),
      ...(file?.name ? { name: file.name } : {}),
      ...options,
    });
  }

  private async postMessage(ref: ConversationRef, payload: SlackMessage): Promise<string> {
    const web = this.client();
    try {
      const res = await web.chat.postMessage({
        channel: ref.chatId,
        text: payload.text,
        ...(payload.blocks ? { blocks: payload.blocks } : {}),
        ...(ref.threadId ? { thread_ts: ref.threadId } : {}),
      });
      return res.ts ?? '';
    } catch (err) {
      throw toDeliveryError(err, 'Slack chat.postMessage');
    }
  }
}
