import type { AdapterContext, ChannelAdapter, DeliveryEnvelope, DeliveryReceipt } from '../../src/core/adapter.js';
import { ParleyError } from '../../src/core/errors.js';
import type { ConversationRef } from '../../src/core/message.js';
import { telegramCapabilities } from './capabilities.js';
import { TelegramClient } from './client.js';
import type { TelegramConfig } from './config.js';
import { normalizeRequest } from './normalize.js';
import { Poller } from './polling.js';
import { renderMessage, type TelegramPayload } from './render.js';
import { verifyTelegram, webhookSecret } from './verify.js';

/** A Telegram channel instance; `fetchMedia` fetches `platform:<file_id>` media. */
export type TelegramAdapter = ChannelAdapter<TelegramPayload> & Required<Pick<ChannelAdapter, 'fetchMedia'>>;

// Why a progress record: a message that renders to several calls (photo, then text) must not
// repeat the calls that succeeded when the outbox retries after a later one failed. Telegram
// has no idempotency key.
const progressTtlMs = 7 * 24 * 60 * 60 * 1000;

async function deliverAll(client: TelegramClient, ctx: AdapterContext, payloads: TelegramPayload[], envelope: DeliveryEnvelope): Promise<DeliveryReceipt> {
  const ids: string[] = [];
  for (const [i, payload] of payloads.entries()) {
    const key = `telegram:sent:${ctx.channelId}:${envelope.idempotencyKey}:${i}`;
    const done = envelope.attempt > 1 ? await ctx.state.get(key) : undefined;
    const id = done ?? (await client.send(payload));
    if (!done && payloads.length > 1) await ctx.state.set(key, id, ctx.clock.now() + progressTtlMs);
    ids.push(id);
  }
  return { platformMessageIds: ids };
}

async function registerWebhook(client: TelegramClient, config: TelegramConfig, ctx: AdapterContext): Promise<void> {
  const secret = webhookSecret(config, ctx.channelId);
  if (!ctx.publicUrl || !secret) {
    throw new ParleyError(
      'CONFIG_INVALID',
      `Telegram channel "${ctx.channelId}" in webhook mode needs ${secret ? "the gateway's public HTTPS URL" : 'a bot token (TELEGRAM_BOT_TOKEN)'}. Set it, or use mode: polling for development.`,
    );
  }
  const url = `${ctx.publicUrl.replace(/\/+$/, '')}${ctx.webhookPath}`;
  await client.setWebhook(url, secret, config.dropPendingUpdates);
  ctx.log.info({ channel: ctx.channelId, path: ctx.webhookPath }, 'telegram webhook registered');
}

/**
 * Creates a Telegram channel instance.
 *
 * @example
 * ```ts
 * const adapter = createTelegramAdapter({ ...parsed, token: '123:abc' }, ctx);
 * await adapter.start?.(); // setWebhook, or start polling in mode: polling
 * ```
 */
export function createTelegramAdapter(config: TelegramConfig, ctx: AdapterContext): TelegramAdapter {
  const client = new TelegramClient(config.token, config.apiRoot, ctx.fetch);
  const secret = webhookSecret(config, ctx.channelId);
  const log = ctx.log.child({ channel: ctx.channelId });
  let poller: Poller | undefined;
  return {
    type: 'telegram',
    id: ctx.channelId,
    capabilities: telegramCapabilities,
    verify: (req) => verifyTelegram(req, secret),
    normalize: (req) => normalizeRequest(req, { channelId: ctx.channelId, now: ctx.clock.now() }, log),
    render: renderMessage,
    deliver: (_ref, payloads, envelope) => deliverAll(client, ctx, payloads, envelope),
    sendTyping: (ref: ConversationRef) => client.sendTyping(ref),
    fetchMedia: (url, options) => client.download(url.replace(/^platform:/, ''), options),
    async start() {
      if (!config.token) {
        throw new ParleyError('CONFIG_INVALID', `Telegram channel "${ctx.channelId}" has no bot token. Set TELEGRAM_BOT_TOKEN.`);
      }
      if (config.mode === 'webhook') return registerWebhook(client, config, ctx);
      poller ??= new Poller({ client, config, ctx: { ...ctx, log } });
      poller.start();
    },
    async stop() {
      await poller?.stop();
      poller = undefined;
    },
  };
}
