import type { Capabilities } from '../../src/core/capabilities.js';
import type { CustomConfig } from './config.js';

/**
 * What a custom channel can show, as its block declares: text up to `maxTextLength` in plain
 * text or markdown, buttons and images only where the block says how to send them. Everything
 * else goes through the core's degrade ladder (choices → numbered text, cards → text and link,
 * other media → links). No typing, no edits: the config language has no request for them.
 */
export function customCapabilities(config: CustomConfig): Capabilities {
  const { capabilities, outbound } = config;
  return Object.freeze({
    maxTextLength: capabilities.maxTextLength,
    markup: capabilities.markup,
    buttons: capabilities.buttons,
    list: false,
    cards: false,
    media: capabilities.images ? ['image'] : [],
    typing: false,
    edit: false,
    ...(outbound.rateLimit ? { rateLimit: { ...outbound.rateLimit } } : {}),
  } satisfies Capabilities);
}
