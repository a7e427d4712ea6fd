import { webchatChannel } from '../../adapters/webchat/index.js';
import type { ChannelDefinition } from '../core/channel.js';

/**
 * Every channel type Parley knows. Adding a type: an adapter folder and one line here.
 * Adding an instance: a block under `channels:` in the config.
 */
export const channelDefinitions: ReadonlyMap<string, ChannelDefinition> = new Map(
  ([webchatChannel] as ChannelDefinition[]).map((d) => [d.type, d]),
);
