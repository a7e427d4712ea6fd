/**
 * Public links to stored media, for platforms that fetch what an agent sends by URL (WhatsApp
 * Cloud `link`, Telegram `sendPhoto` by URL, LINE `originalContentUrl`, Messenger attachment
 * `url`, Twilio `MediaUrl`, Slack `image_url`): `GET /media/:id?exp=&sig=`, an HMAC over the id
 * and the expiry with the gateway's signing secret, under `server.publicUrl` (docs/media.md,
 * "Agents sending media").
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { safeEqual } from '../core/http.js';
import type { MediaStore } from '../media/port.js';
import { sendError } from './http.js';
import { rule, type RuleTypes } from './validation.js';

/** How long a link works: a week covers the outbox's retries and platforms that fetch late. */
const LINK_TTL_MS = 7 * 24 * 3_600_000;

/** Signs and checks media links. */
export interface MediaLinks {
  /** An absolute URL a platform can fetch the medium from until `now + ttlMs`. */
  url(id: string, ttlMs?: number): string;
  /** Whether `sig` is this gateway's signature of `id` and `exp`, and `exp` has not passed. */
  check(id: string, exp: string, sig: string): boolean;
}

/**
 * @example
 * ```ts
 * const links = createMediaLinks(secret, 'https://chat.example.com', () => Date.now());
 * links.url(stored.id); // https://chat.example.com/media/<id>?exp=1767225600&sig=…
 * ```
 */
export function createMediaLinks(secret: string, publicUrl: string, now: () => number): MediaLinks {
  const sign = (id: string, exp: string) => createHmac('sha256', secret).update(`parley:media:${id}:${exp}`).digest('base64url');
  const base = publicUrl.replace(/\/+$/, '');
  return {
    url(id, ttlMs = LINK_TTL_MS) {
      const exp = String(Math.floor((now() + ttlMs) / 1000));
      return `${base}/media/${encodeURIComponent(id)}?exp=${exp}&sig=${sign(id, exp)}`;
    },
    check(id, exp, sig) {
      if (!/^\d{1,12}$/.test(exp) || Number(exp) * 1000 <= now()) return false;
      return safeEqual(sig, sign(id, exp));
    },
  };
}

const params = rule(z.object({ id: z.string().max(200) }), 'BAD_REQUEST');
const query = rule(z.object({ exp: z.string().max(20).default(''), sig: z.string().max(100).default('') }), 'BAD_REQUEST');

/** Types a platform may get as themselves: media a chat shows. Anything else is a download. */
const SHOWN = /^(image\/(jpeg|png|gif|webp)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf)$/;

/**
 * `GET /media/:id?exp=&sig=`: the stored bytes for whoever holds a valid, unexpired link (403
 * otherwise, the same answer for a wrong signature and an unknown id, so links cannot be probed).
 */
export function mountPublicMedia(app: FastifyInstance, deps: { store: MediaStore; links: MediaLinks }): void {
  app.withTypeProvider<RuleTypes>().get('/media/:id', { schema: { params, querystring: query } }, async (req, reply) => {
    const { id } = req.params;
    const found = deps.links.check(id, req.query.exp, req.query.sig) ? await deps.store.get(id) : undefined;
    if (!found) return sendError(reply, 'FORBIDDEN', 'This media link is not valid or has expired.');
    const type = found.media.mimeType;
    return reply
      .header('content-type', SHOWN.test(type) ? type : 'application/octet-stream')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', 'public, max-age=3600')
      .send(found.data);
  });
}
