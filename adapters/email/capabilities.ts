import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * What an e-mail reply can show: formatted text (the core converts markdown to the `html`
 * dialect; render wraps it in a document and derives the plain-text alternative), no buttons
 * (choices become a numbered list the shopper answers with a number), media as links. One
 * reply is one mail, so the limit is generous.
 */
export const emailCapabilities: Capabilities = Object.freeze({
  maxTextLength: 100_000,
  markup: 'html',
  buttons: false,
  list: false,
  cards: false,
  media: [],
  typing: false,
  edit: false,
  // A conversation is a thread (ref.threadId): a mail opening a new one would have no subject to answer.
  pushByUserId: false,
  // Why: one mail a second per thread keeps a split reply in order in the shopper's inbox.
  rateLimit: { perChatPerSecond: 1, perBotPerSecond: 10 },
} satisfies Capabilities);
