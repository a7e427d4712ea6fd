import { z } from 'zod';

const required = (what: string, env?: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? `required: ${what}${env ? ` (set ${env})` : ''}` : `invalid ${what}`),
});

// Tencent's console only accepts 3..32 letters and digits for the callback Token.
const token = (env: string) => z.string(required('the callback Token', env)).regex(/^[A-Za-z0-9]{3,32}$/, 'the Token must be 3-32 letters or digits');

const aesKey = (env: string) =>
  z
    .string(required('the EncodingAESKey', env))
    .regex(/^[A-Za-z0-9]{43}$/, `the EncodingAESKey must be the 43 letters and digits shown in the console (${env})`);

const baseUrl = (fallback: string) =>
  z
    .url()
    .default(fallback)
    .transform((u) => u.replace(/\/+$/, ''));

const windowSec = z.coerce.number().int().min(10).max(3600).default(300);

/**
 * A WeChat Official Account (公众号) channel block. Safe mode (encrypted callbacks) when
 * `encodingAESKey` is set; plain mode otherwise.
 *
 * @example
 * ```yaml
 * wechat-cn:
 *   type: wechat
 *   appId: wx2c2769f8efd9abc2
 *   appSecret: ${WECHAT_APP_SECRET}
 *   token: ${WECHAT_TOKEN}
 *   encodingAESKey: ${WECHAT_AES_KEY}
 * ```
 */
export const wechatConfigSchema = z.object({
  appId: z.string(required('the AppID (开发 → 基本配置)')).regex(/^\w+$/, 'the AppID looks like wx0123456789abcdef'),
  appSecret: z.string(required('the AppSecret', 'WECHAT_APP_SECRET')).min(1),
  token: token('WECHAT_TOKEN'),
  encodingAESKey: aesKey('WECHAT_AES_KEY').optional(),
  apiBaseUrl: baseUrl('https://api.weixin.qq.com'),
  /** How long a reply may take and still travel back as the passive reply (WeChat waits 5 s). */
  replyBudgetMs: z.coerce.number().int().min(0).max(4500).default(4000),
  /** Callbacks whose `timestamp` is further than this from our clock are refused (replays). */
  timestampWindowSec: windowSec,
  /**
   * Template messages (模板消息) for messages outside the 48-hour customer-service window:
   * Parley template key (e.g. `order_shipped`) → the template id from the account's template
   * library and its data fields, filled in order with the message's template parameters.
   * https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html
   */
  templates: z.record(z.string(), z.object({ templateId: z.string().min(1), fields: z.array(z.string().min(1)).min(1), url: z.url().optional() })).optional(),
});

/** A parsed WeChat Official Account config. */
export type WechatConfig = z.infer<typeof wechatConfigSchema>;

/**
 * A WeCom (企业微信) self-built app block. WeCom callbacks are always encrypted, so
 * `encodingAESKey` is required.
 *
 * @example
 * ```yaml
 * wecom-staff:
 *   type: wecom
 *   corpId: wx5823bf96d3bd56c7
 *   agentId: 1000002
 *   secret: ${WECOM_SECRET}
 *   token: ${WECOM_TOKEN}
 *   encodingAESKey: ${WECOM_AES_KEY}
 * ```
 */
export const wecomConfigSchema = z.object({
  corpId: z.string(required('the CorpID (我的企业 → 企业信息)')).regex(/^\w+$/, 'the CorpID looks like ww0123456789abcdef'),
  agentId: z.coerce.number(required('the AgentId of the app')).int().positive(),
  secret: z.string(required('the app Secret', 'WECOM_SECRET')).min(1),
  token: token('WECOM_TOKEN'),
  encodingAESKey: aesKey('WECOM_AES_KEY'),
  apiBaseUrl: baseUrl('https://qyapi.weixin.qq.com'),
  replyBudgetMs: z.coerce.number().int().min(0).max(4500).default(4000),
  timestampWindowSec: windowSec,
});

/** A parsed WeCom config. */
export type WecomConfig = z.infer<typeof wecomConfigSchema>;
