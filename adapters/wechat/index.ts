/**
 * WeChat Official Account (`wechat`) and WeCom (`wecom`) channels. One folder because both
 * speak the same callback XML and message crypto; each is its own channel type.
 */
export { createWechatAdapter, createWecomAdapter, type WechatAdapter, wechatChannel, wecomChannel } from './adapter.js';
export { wechatCapabilities, wecomCapabilities } from './capabilities.js';
export type { WechatConfig, WecomConfig } from './config.js';
export { type CryptoConfig, encryptReply } from './crypto.js';
export { renderPassiveReply, type WechatPayload } from './render.js';
