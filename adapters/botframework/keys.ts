import type { JWK } from 'jose';
import type { Clock } from '../../src/core/ports.js';

/** A signing key from a JWKS, with the Bot Framework channels it is endorsed for. */
export interface SigningKey {
  /** The public key; imported for the token's `alg` when a token is checked. */
  jwk: JWK;
  /** Channel ids (`msteams`, `webchat`, ...) the key may sign for; empty means any. */
  endorsements: string[];
}

/** The key set's knobs; the defaults follow botframework-connector's `OpenIdMetadata`. */
export interface KeySetOptions {
  /** Refresh the keys this often (the SDK: 24 h). */
  refreshMs?: number;
  /** An unknown `kid` triggers a refresh at most this often (stops forged-kid floods). */
  unknownKidRefreshMs?: number;
}

interface Loaded {
  keys: Map<string, SigningKey>;
  at: number;
}

type PublishedKey = JWK & { endorsements?: unknown };

/**
 * Signing keys could not be loaded: the gateway cannot tell good tokens from bad ones.
 * Internal, not a registry error: verify.ts turns it into a bare 503 (webhooks get no error body).
 */
export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
}

/**
 * The signing keys behind one OpenID metadata URL: fetches the metadata, then its `jwks_uri`,
 * and caches the keys for this adapter instance only (botframework-connector caches them in a
 * process-wide static map, see verify.ts). Uses the injected `fetch` and clock.
 *
 * @example
 * ```ts
 * const keys = new OpenIdKeySet(config.openIdMetadataUrl, ctx.fetch, ctx.clock);
 * const signing = await keys.get(header.kid); // undefined when no key has that id
 * ```
 */
export class OpenIdKeySet {
  private loaded: Loaded | undefined;
  private pending: Promise<Loaded> | undefined;
  private readonly refreshMs: number;
  private readonly unknownKidRefreshMs: number;

  constructor(
    private readonly metadataUrl: string,
    private readonly fetchFn: typeof fetch,
    private readonly clock: Clock,
    options: KeySetOptions = {},
  ) {
    this.refreshMs = options.refreshMs ?? 24 * 3600_000;
    this.unknownKidRefreshMs = options.unknownKidRefreshMs ?? 5 * 60_000;
  }

  /** The key with id `kid`, refreshing the set when it is stale or lacks the id. */
  async get(kid: string | undefined): Promise<SigningKey | undefined> {
    if (!kid) return undefined;
    const now = this.clock.now();
    let loaded = this.loaded;
    const stale = !loaded || now - loaded.at >= this.refreshMs;
    const unknown = loaded && !loaded.keys.has(kid) && now - loaded.at >= this.unknownKidRefreshMs;
    if (stale || unknown) {
      // Why: like the SDK, keep using the old keys when a refresh fails.
      loaded = await this.refresh().catch((err: unknown) => {
        if (this.loaded) return this.loaded;
        throw err;
      });
    }
    return loaded?.keys.get(kid);
  }

  private refresh(): Promise<Loaded> {
    // Why: one fetch for a burst of requests that all find the cache stale.
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async load(): Promise<Loaded> {
    const metadata = await this.getJson(this.metadataUrl);
    const jwksUri = (metadata as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== 'string') throw new KeysUnavailableError(`OpenID metadata at ${this.metadataUrl} has no jwks_uri`);
    const jwks = (await this.getJson(jwksUri)) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new KeysUnavailableError(`JWKS at ${jwksUri} has no keys`);
    const keys = new Map<string, SigningKey>();
    for (const published of jwks.keys as PublishedKey[]) {
      const key = toSigningKey(published);
      if (key && typeof published.kid === 'string') keys.set(published.kid, key);
    }
    this.loaded = { keys, at: this.clock.now() };
    return this.loaded;
  }

  private async getJson(url: string): Promise<unknown> {
    let res: Response;
    try {
      res = await this.fetchFn(url, { signal: AbortSignal.timeout(10_000) });
    } catch (cause) {
      throw new KeysUnavailableError(`${url} did not answer`, { cause });
    }
    if (!res.ok) throw new KeysUnavailableError(`${url} answered HTTP ${res.status}`);
    try {
      return await res.json();
    } catch (cause) {
      throw new KeysUnavailableError(`${url} did not return JSON`, { cause });
    }
  }
}

/** Only RSA keys sign Bot Framework tokens; others are skipped, as the SDK does. */
function toSigningKey(published: PublishedKey): SigningKey | undefined {
  if (published?.kty !== 'RSA' || typeof published.n !== 'string' || typeof published.e !== 'string') return undefined;
  const { endorsements, ...jwk } = published;
  const channels = Array.isArray(endorsements) ? endorsements.filter((e): e is string => typeof e === 'string') : [];
  return { jwk, endorsements: channels };
}
