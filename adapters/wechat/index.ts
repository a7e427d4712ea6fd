/**
 * WeChat Official Account (`wechat`) and WeCom (`wecom`) channels. One folder because both
 * speak the same callback XML and message crypto; each is its own channel type.
 */
export { wechatChannel, wecomChannel } from './adapter.js';
