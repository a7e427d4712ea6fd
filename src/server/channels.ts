import { botframeworkChannel } from '../../adapters/botframework/index.js';
import { emailChannel } from '../../adapters/email/index.js';
import { customChannel } from '../../adapters/custom/index.js';
import { lineChannel } from '../../adapters/line/index.js';
import { instagramChannel, messengerChannel } from '../../adapters/messenger/index.js';
import { slackChannel } from '../../adapters/slack/index.js';
// The definition alone: the folder's index also re-exports the adapter, which loads only on create.
import { whatsappWebChannel } from '../../adapters/whatsapp-web/channel.js';
import { telegramChannel } from '../../adapters/telegram/index.js';
import { twilioChannel } from '../../adapters/twilio/index.js';
import { webchatChannel } from '../../adapters/webchat/index.js';
import { wechatChannel, wecomChannel } from '../../adapters/wechat/index.js';
import { whatsappChannel } from '../../adapters/whatsapp/index.js';
import type { ChannelDefinition } from '../core/channel.js';

/**
 * Every channel type Parley knows. Adding a type: an adapter folder and one line here.
 * Adding an instance: a block under `channels:` in the config.
 */
export const channelDefinitions: ReadonlyMap<string, ChannelDefinition> = new Map(
  (
    [
      webchatChannel,
      telegramChannel,
      whatsappChannel,
      wechatChannel,
      wecomChannel,
      lineChannel,
      botframeworkChannel,
      slackChannel,
      whatsappWebChannel,
      twilioChannel,
      messengerChannel,
      instagramChannel,
      emailChannel,
      customChannel,
    ] as ChannelDefinition[]
  ).map((d) => [d.type, d]),
);
