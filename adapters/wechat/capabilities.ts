import type { Capabilities } from '../../src/core/capabilities.js';

// Text messages are limited to 2048 bytes (客服消息 / 应用消息 "最长不超过2048个字节"); a CJK
// character is 3 UTF-8 bytes, so 680 UTF-16 units always fit.
const MAX_TEXT = 680;

const shared = {
  maxTextLength: MAX_TEXT,
  markup: 'plain',
  buttons: false,
  list: false,
  cards: true,
  media: [],
  edit: false,
  pushByUserId: true,
} as const satisfies Partial<Capabilities>;

/**
 * WeChat Official Account: plain text (the client links URLs itself), no buttons (degrade
 * numbers the choices), product cards as one-article news, other media as links. The passive
 * reply must come within 5 s; customer-service messages only within 48 h of the shopper's
 * last message.
 */
export const wechatCapabilities: Capabilities = Object.freeze({
  ...shared,
  typing: true,
  messagingWindowMs: 48 * 60 * 60 * 1000,
});

/** WeCom self-built app: like the Official Account, without typing and without a window. */
export const wecomCapabilities: Capabilities = Object.freeze({ ...shared, typing: false });
