import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { missingSettings, type TelegramConfig, telegramConfigSchema } from './config.js';

/**
 * The `telegram` channel type: a Telegram bot, by webhook or long polling. `telegraf` is
 * imported (with `./adapter.js`) only when a Telegram channel is created.
 */
export const telegramChannel: ChannelDefinition<TelegramConfig> = {
  type: 'telegram',
  parseConfig: (raw) => fromSafeParse(telegramConfigSchema.safeParse(raw)),
  create: async (config, ctx) => (await import('./adapter.js')).createTelegramAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes:
      config.mode === 'polling'
        ? ['Long polling: no public URL needed; one gateway instance polls at a time (lease).']
        : ['Webhook: registered with setWebhook at start; the public URL must be HTTPS on port 443, 80, 88 or 8443.'],
  }),
};
