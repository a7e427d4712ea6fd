import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { type BotframeworkConfig, botframeworkConfigSchema, isAnonymous, missingSettings } from './config.js';

function notes(config: BotframeworkConfig): string[] {
  const out = ['Messaging endpoint (Azure Bot → Configuration): {publicUrl}/webhooks/<channel id>.'];
  if (isAnonymous(config))
    out.push('allowAnonymous is on and no appId is set: requests are NOT authenticated. Use this only with the Emulator on a private machine.');
  else if (config.allowAnonymous) out.push('allowAnonymous is ignored because appId is set: every request needs a valid token.');
  if (!config.appId && !config.allowAnonymous) out.push('Without appId every request is refused (401).');
  return out;
}

/**
 * The `botframework` channel type: an Azure Bot serving Microsoft Teams, Web Chat and other
 * channels. `botbuilder` is imported (with `./adapter.js`) only when such a channel is created.
 */
export const botframeworkChannel: ChannelDefinition<BotframeworkConfig> = {
  type: 'botframework',
  parseConfig: (raw) => fromSafeParse(botframeworkConfigSchema.safeParse(raw)),
  create: async (config, ctx) => (await import('./adapter.js')).createBotframeworkAdapter(config, ctx),
  describe: (config) => ({ missing: missingSettings(config), notes: notes(config) }),
};
