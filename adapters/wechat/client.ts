import type { DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { DeliveryError, type DeliveryReason } from '../../src/core/errors.js';
import { callApi } from '../../src/core/http.js';
import { fetchMediaBytes } from '../../src/core/media.js';
import type { ConversationRef } from '../../src/core/message.js';
import type { WechatPayload } from './render.js';
import type { AccessTokens, IssuedToken } from './token.js';

/** What differs between the Official Account and WeCom APIs. */
export interface PlatformApi {
  /** `WeChat` or `WeCom`, for error messages. */
  name: string;
  baseUrl: string;
  /** Token endpoint path and query (carries the secret: never logged). */
  tokenPath: string;
  sendPath: string;
  /** "Check WECHAT_APP_SECRET." */
  authHint: string;
  /** The recipient fields of a send: `touser` (and WeCom's `agentid`). */
  recipient(ref: ConversationRef): Record<string, unknown>;
}

interface ApiBody {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  msgid?: string | number;
  invaliduser?: string;
}

interface Rule {
  reason: DeliveryReason;
  retryAfterMs?: number;
  advice: string;
}

// Errors come back as HTTP 200 with errcode ≠ 0. Codes: developers.weixin.qq.com/doc/offiaccount/Getting_Started/Global_Return_Code.html
// and developer.work.weixin.qq.com/document/path/90313.
const RULES: Record<number, Rule> = {
  [-1]: { reason: 'transient', advice: 'The platform is busy. Retrying.' },
  45015: {
    reason: 'invalid',
    advice: "The shopper's 48-hour customer-service window has closed; the message can be sent only after they write again.",
  },
  45047: { reason: 'invalid', advice: 'Too many customer-service messages without an answer; wait until the shopper writes again.' },
  45009: { reason: 'rate_limited', retryAfterMs: 3_600_000, advice: 'The daily API quota is used up. Retrying in an hour.' },
  45011: { reason: 'rate_limited', retryAfterMs: 60_000, advice: 'API calls are too frequent. Retrying in a minute.' },
  45033: { reason: 'rate_limited', retryAfterMs: 1_000, advice: 'Too many concurrent calls. Retrying.' },
  43004: { reason: 'blocked', advice: 'The shopper no longer follows the account.' },
  40003: { reason: 'blocked', advice: 'The recipient openid does not belong to this account.' },
  48001: { reason: 'auth', advice: 'The account may not use this API (customer-service messages need a verified service account).' },
  40164: { reason: 'auth', advice: "This server's IP is not on the account's IP allow-list; add it in the console." },
  60020: { reason: 'auth', advice: "This server's IP is not among the app's trusted IPs; add it in the WeCom admin console." },
  81013: { reason: 'blocked', advice: "The member is not visible to the app; check the app's visible range." },
};

/** Token rejected: renew once and retry. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);

/** An errcode without a rule: `auth` for the token call (wrong AppID or secret), `invalid` for a send. */
function errcodeError(api: PlatformApi, label: string, body: ApiBody, rule: Rule | undefined, unknown: DeliveryReason): DeliveryError {
  const code = body.errcode ?? 'none';
  const advice = rule?.advice ?? `Not retrying. ${api.authHint}`;
  return new DeliveryError(rule?.reason ?? unknown, `${api.name} ${label} failed (errcode ${code}). ${advice}`, {
    ...(rule?.retryAfterMs ? { retryAfterMs: rule.retryAfterMs } : {}),
    details: { errcode: body.errcode, errmsg: body.errmsg },
  });
}

async function call(fetchFn: typeof fetch, api: PlatformApi, label: string, url: string, init: RequestInit): Promise<ApiBody> {
  const res = await callApi<ApiBody | string | undefined>(fetchFn, url, init, { label: `${api.name} ${label}`, authHint: api.authHint });
  if (!res.body || typeof res.body !== 'object') throw new DeliveryError('transient', `${api.name} ${label} answered something that is not JSON. Retrying.`);
  return res.body;
}

/** Fetches a new access_token (`cgi-bin/token` or WeCom `cgi-bin/gettoken`). */
export async function fetchAccessToken(fetchFn: typeof fetch, api: PlatformApi): Promise<IssuedToken> {
  const body = await call(fetchFn, api, 'access_token', `${api.baseUrl}${api.tokenPath}`, { method: 'GET' });
  if (body.access_token && (body.errcode ?? 0) === 0) return { token: body.access_token, expiresInSec: body.expires_in ?? 7200 };
  // Wrong AppID / secret / IP allow-list: nothing a retry fixes, except "system busy".
  throw errcodeError(api, 'access_token', body, body.errcode === -1 ? RULES[-1] : RULES[body.errcode ?? 0], 'auth');
}

/**
 * Posts JSON to an API that takes `?access_token=`. On 40001/42001 (token invalid or expired,
 * e.g. refreshed elsewhere) the token is renewed once and the call repeated.
 */
export async function postWithToken(
  fetchFn: typeof fetch,
  api: PlatformApi,
  tokens: AccessTokens,
  label: string,
  path: string,
  payload: unknown,
): Promise<ApiBody> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) };
  let token = await tokens.get();
  for (let attempt = 1; ; attempt++) {
    const body = await call(fetchFn, api, label, `${api.baseUrl}${path}?access_token=${encodeURIComponent(token)}`, init);
    const code = body.errcode ?? 0;
    if (code === 0) return body;
    if (TOKEN_ERRORS.has(code) && attempt === 1) {
      token = await tokens.renew(token);
      continue;
    }
    // A second rejection is most likely a refresh elsewhere racing this one: worth another attempt.
    const rule = TOKEN_ERRORS.has(code) ? ({ reason: 'transient', advice: 'The access_token was rejected twice. Retrying.' } as const) : RULES[code];
    throw errcodeError(api, label, body, rule, 'invalid');
  }
}

/**
 * Sends each payload as one message to the shopper of `ref`. Returns WeCom's `msgid`s (the
 * Official Account's customer-service API returns none).
 */
export async function sendMessages(
  fetchFn: typeof fetch,
  api: PlatformApi,
  tokens: AccessTokens,
  ref: ConversationRef,
  payloads: WechatPayload[],
): Promise<DeliveryReceipt> {
  const ids: string[] = [];
  for (const payload of payloads) {
    const body =
      payload.msgtype === 'template'
        ? await postWithToken(fetchFn, api, tokens, 'template send', '/cgi-bin/message/template/send', { ...api.recipient(ref), ...payload.template })
        : await postWithToken(fetchFn, api, tokens, 'send', api.sendPath, { ...api.recipient(ref), ...payload });
    // WeCom answers errcode 0 but lists recipients it could not reach.
    if (body.invaliduser)
      throw errcodeError(
        api,
        'send',
        body,
        { reason: 'blocked', advice: "The member is not visible to the app or has left; check the app's visible range." },
        'blocked',
      );
    if (body.msgid !== undefined) ids.push(String(body.msgid));
  }
  return { platformMessageIds: ids };
}

/** A JSON error answered instead of the file (`{"errcode":40007,"errmsg":"invalid media_id"}`). */
function mediaError(media: FetchedMedia): ApiBody | undefined {
  if (!/json|text\/plain/.test(media.mimeType) || media.data[0] !== 0x7b) return undefined;
  try {
    return JSON.parse(media.data.toString('utf8')) as ApiBody;
  } catch {
    return undefined;
  }
}

/**
 * Fetches media a shopper sent: `platform:<MediaId>` through `cgi-bin/media/get` with the
 * access_token (the same path on WeCom; media ids live 3 days), a `PicUrl` as it is.
 * https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/Get_temporary_materials.html,
 * https://developer.work.weixin.qq.com/document/path/90254
 *
 * @example
 * ```ts
 * const { data, mimeType } = await downloadMedia(fetch, api, tokens, 'platform:MEDIA_ID', { maxBytes: 16_000_000 });
 * ```
 */
export async function downloadMedia(
  fetchFn: typeof fetch,
  api: PlatformApi,
  tokens: AccessTokens,
  url: string,
  options: FetchMediaOptions = {},
): Promise<FetchedMedia> {
  const label = `${api.name} media/get`;
  const id = /^platform:(.+)$/.exec(url)?.[1];
  if (!id) return fetchMediaBytes(fetchFn, url, { label: `${api.name} picture download`, ...options });
  let token = await tokens.get();
  for (let attempt = 1; ; attempt++) {
    const target = `${api.baseUrl}/cgi-bin/media/get?access_token=${encodeURIComponent(token)}&media_id=${encodeURIComponent(id)}`;
    const media = await fetchMediaBytes(fetchFn, target, { label, authHint: api.authHint, ...options });
    const error = mediaError(media);
    if (!error || (error.errcode ?? 0) === 0) return media;
    if (TOKEN_ERRORS.has(error.errcode ?? 0) && attempt === 1) {
      token = await tokens.renew(token);
      continue;
    }
    throw errcodeError(api, 'media/get', error, RULES[error.errcode ?? 0], 'invalid');
  }
}
