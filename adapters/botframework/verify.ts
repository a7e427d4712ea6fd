import { decodeJwt, errors as joseErrors, importJWK, type JWTPayload, jwtVerify } from 'jose';
import { type AdapterContext, markVerified, type RawRequest, type VerifyResult } from '../../src/core/adapter.js';
import type { BotframeworkConfig } from './config.js';
import { KeysUnavailableError, OpenIdKeySet, type SigningKey } from './keys.js';

/*
 * Why jose and not botframework-connector's `ConfigurationBotFrameworkAuthentication` /
 * `JwtTokenValidation` (4.23): the SDK's checks are sound, but its machinery keeps process-wide
 * state and ignores what Parley injects:
 * - `EmulatorValidation.isTokenFromEmulator` pushes the issuers of any token's `tid` claim into
 *   the module-global `ToBotFromBotOrEmulatorTokenValidationParameters.issuer` array, before
 *   the signature is checked: one instance's (or an attacker's) tokens widen every instance's
 *   accepted issuers.
 * - `JwtTokenExtractor.openIdMetadataCache` is a static map, `ChannelValidation.OpenIdMetadataEndpoint`
 *   a static field; key refresh and expiry use `Date.now()` and node-fetch, not `ctx.clock` /
 *   `ctx.fetch`, and failures are written with `console.error`, bypassing Parley's logger.
 * So the documented checks are implemented here, per instance:
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */

/** Issuer of Bot Connector tokens (channel -> bot). */
const channelIssuer = 'https://api.botframework.com';

/**
 * Issuers of Emulator tokens, as botframework-connector lists them
 * (`ToBotFromBotOrEmulatorTokenValidationParameters`): the botframework.com and Microsoft
 * tenants in v1 and v2 form. A single-tenant bot adds its own tenant's.
 */
const emulatorIssuers: readonly string[] = [
  'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
  'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0',
  'https://sts.windows.net/f8cdef31-a31e-4b4a-93e4-5f571e91255a/',
  'https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a/v2.0',
  'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
];

/** The signing algorithms botframework-connector allows (`AuthenticationConstants.AllowedSigningAlgorithms`). */
const algorithms = ['RS256', 'RS384', 'RS512'];
/** Clock skew the SDK tolerates on `exp` / `nbf`. */
const clockToleranceSec = 5 * 60;

/** What verification established about a Bot Framework request. */
export interface BotframeworkAuth {
  /** `channel`: a Bot Connector token; `emulator`: an Emulator token; `anonymous`: no check (dev). */
  kind: 'channel' | 'emulator' | 'anonymous';
}

type Ctx = Pick<AdapterContext, 'fetch' | 'clock' | 'log' | 'channelId'>;
type Rejection = { ok: false; status: number; reason: string };
type TokenKind = 'channel' | 'emulator';
type TokenCheck = { ok: true; claims: JWTPayload; key: SigningKey; kind: TokenKind } | Rejection;

const reject = (status: number, reason: string): Rejection => ({ ok: false, status, reason });

/** The parsed activity fields verification needs, or undefined when the body is not an activity. */
function activityOf(body: Buffer): { serviceUrl?: unknown; channelId?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The emulator path's app id claim: `appid` in v1 tokens, `azp` in v2 (the SDK's rule). */
function emulatorAppId(claims: JWTPayload): unknown {
  if (claims.ver === '1.0') return claims.appid;
  if (claims.ver === '2.0') return claims.azp;
  return undefined;
}

/** Per-instance token checks: its own app id, key sets and accepted Emulator issuers. */
class BotframeworkVerifier {
  private readonly channelKeys: OpenIdKeySet;
  private readonly emulatorKeys: OpenIdKeySet;
  private readonly emulator: Set<string>;

  constructor(
    private readonly config: BotframeworkConfig,
    private readonly ctx: Ctx,
  ) {
    this.channelKeys = new OpenIdKeySet(config.openIdMetadataUrl, ctx.fetch, ctx.clock);
    this.emulatorKeys = new OpenIdKeySet(config.emulatorOpenIdMetadataUrl, ctx.fetch, ctx.clock);
    const tenant = config.tenantId;
    const tenantIssuers = tenant ? [`https://sts.windows.net/${tenant}/`, `https://login.microsoftonline.com/${tenant}/v2.0`] : [];
    this.emulator = new Set([...emulatorIssuers, ...tenantIssuers]);
  }

  async verify(req: RawRequest): Promise<VerifyResult<BotframeworkAuth>> {
    const { appId, allowAnonymous } = this.config;
    if (!appId) return allowAnonymous ? { ok: true, request: markVerified(req, { kind: 'anonymous' }) } : reject(401, 'no app id configured');
    const match = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
    if (!match?.[1]) return reject(401, 'missing bearer token');
    const checked = await this.checkToken(match[1], appId);
    if (!checked.ok) return checked;
    const activity = activityOf(req.body);
    if (!activity) return reject(400, 'body is not a JSON activity');
    if (checked.kind === 'emulator' && emulatorAppId(checked.claims) !== appId) return reject(401, 'app id mismatch');
    const serviceUrl = typeof activity.serviceUrl === 'string' ? activity.serviceUrl : undefined;
    if (checked.kind === 'channel' && (!serviceUrl || checked.claims.serviceurl !== serviceUrl)) return reject(401, 'serviceUrl mismatch');
    const endorsements = checked.key.endorsements;
    if (endorsements.length > 0 && !endorsements.includes(String(activity.channelId))) return reject(401, 'key not endorsed for channel');
    return { ok: true, request: markVerified(req, { kind: checked.kind }) };
  }

  /** Picks the key set by the (still unverified) issuer, then verifies against it. */
  private checkToken(token: string, appId: string): Promise<TokenCheck> | TokenCheck {
    let issuer: unknown;
    try {
      issuer = decodeJwt(token).iss;
    } catch {
      return reject(401, 'malformed token');
    }
    if (issuer === channelIssuer) return this.verifyWith(token, this.channelKeys, 'channel', { issuer: channelIssuer, audience: appId });
    if (typeof issuer === 'string' && this.config.acceptEmulatorTokens && this.emulator.has(issuer))
      return this.verifyWith(token, this.emulatorKeys, 'emulator', { issuer });
    return reject(401, 'untrusted issuer');
  }

  private async verifyWith(token: string, keys: OpenIdKeySet, kind: TokenKind, expected: { issuer: string; audience?: string }): Promise<TokenCheck> {
    let key: SigningKey | undefined;
    const resolve = async (header: { kid?: string; alg?: string }) => {
      key = await keys.get(header.kid);
      if (!key) throw new joseErrors.JWKSNoMatchingKey();
      return importJWK(key.jwk, header.alg);
    };
    const options = { ...expected, algorithms, clockTolerance: clockToleranceSec, currentDate: new Date(this.ctx.clock.now()), requiredClaims: ['exp'] };
    try {
      const { payload } = await jwtVerify(token, resolve, options);
      return key ? { ok: true, claims: payload, key, kind } : reject(401, 'no signing key');
    } catch (err) {
      if (!(err instanceof KeysUnavailableError)) return reject(401, err instanceof joseErrors.JOSEError ? err.code : 'invalid token');
      this.ctx.log.warn({ channel: this.ctx.channelId, err: err.message }, 'Bot Framework signing keys unavailable');
      return reject(503, 'signing keys unavailable');
    }
  }
}

/**
 * Checks Bot Framework requests the way botframework-connector's `CloudAdapter` does: the
 * bearer token's signature (keys from the OpenID metadata's `jwks_uri`), issuer, audience (the
 * app id), expiry with 5 minutes of skew, the signing key's channel endorsements, and the
 * `serviceurl` claim against the activity's `serviceUrl`, the only part of the body the token
 * binds. Every failure answers 401 with no detail; unreachable key metadata answers 503.
 *
 * @example
 * ```ts
 * const verify = createVerifier(config, ctx);
 * const v = await verify(raw); // { ok: true, request } or { ok: false, status: 401 }
 * ```
 */
export function createVerifier(config: BotframeworkConfig, ctx: Ctx): (req: RawRequest) => Promise<VerifyResult<BotframeworkAuth>> {
  const verifier = new BotframeworkVerifier(config, ctx);
  return (req) => verifier.verify(req);
}
