import type { Capabilities } from '../../src/core/capabilities.js';

/**
 * What a Slack bot can show through `chat.postMessage` with Block Kit.
 * - Text goes in a `section` block, whose `text` holds at most 3,000 characters
 *   (https://docs.slack.dev/reference/block-kit/blocks/section-block); a message's own `text`
 *   allows 40,000, but a message with buttons needs blocks, so 3,000 holds everywhere.
 * - Buttons: `plain_text` labels of at most 75 characters, up to 25 per `actions` block
 *   (https://docs.slack.dev/reference/block-kit/block-elements/button-element); five keep a
 *   message readable, more become a `static_select` (100 options of 75 characters).
 * - Images are `image` blocks by public URL; other media become links (Slack's file upload
 *   needs the bytes, and Parley's media parts are URLs).
 * - No typing indicator for bots over the Web API; Slack waits 3 s for the webhook answer;
 *   `chat.postMessage` allows about one message per second per channel
 *   (https://docs.slack.dev/reference/methods/chat.postMessage#rate_limiting).
 */
export const slackCapabilities: Capabilities = Object.freeze({
  maxTextLength: 3000,
  markup: 'mrkdwn',
  buttons: { max: 5, maxLabelLength: 75 },
  list: { maxRows: 100, maxLabelLength: 75 },
  cards: true,
  media: ['image'],
  typing: false,
  edit: false,
  rateLimit: { perChatPerSecond: 1 },
} satisfies Capabilities);

/** `plain_text` limits that degrade does not know about. */
export const slackLimits = Object.freeze({
  /** Select placeholder (https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element). */
  placeholder: 150,
  /** Image block `title` and `alt_text`. */
  imageText: 2000,
  /** Button `value`. */
  value: 2000,
  /** Section block `text`. */
  sectionText: 3000,
});
