/**
 * Media over HTTP: agents read stored media from the console (`GET /console/api/media/:id`), the
 * widget uploads a shopper's file (`POST /webchat/upload`), and the wiring that builds the store
 * and the intake stage from the `media:` block (docs/media.md).
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { bearer, type WebchatAdapter } from '../../adapters/webchat/index.js';
import type { ChannelAdapter } from '../core/adapter.js';
import { safeEqual } from '../core/http.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Store } from '../core/store.js';
import type { MediaSettings } from '../media/config.js';
import { createMediaStore } from '../media/create.js';
import { createMediaIntake } from '../media/intake.js';
import { sniff } from '../media/magic.js';
import type { MediaStore } from '../media/port.js';
import { widgetHeaders } from './headers.js';
import { sendError } from './http.js';
import type { WebchatLimits } from './webchat.js';
import { rule, type RuleTypes } from './validation.js';

/** Types a browser shows in place; anything else (PDF, text, office files) is downloaded. */
const INLINE = /^(image\/(jpeg|png|gif|webp|heic)|audio\/[\w.+-]+|video\/[\w.+-]+)$/;
/** Never sent with their own type, whatever an operator allowed: a browser would run them. */
const ACTIVE = /(html|svg|xml|javascript|ecmascript)/i;

/** `upload:<sha256>.<signature>`: the reference the widget sends, valid only for the session that uploaded. */
function uploadSigner(secret: string) {
  const sign = (id: string, sid: string) => createHmac('sha256', secret).update(`parley:upload:${id}:${sid}`).digest('base64url').slice(0, 32);
  return {
    reference: (id: string, sid: string) => `upload:${id}.${sign(id, sid)}`,
    verify(url: string, sid: string): string | undefined {
      const m = /^upload:([a-f0-9]{64})\.([\w-]{32})$/.exec(url);
      return m?.[1] && m[2] && safeEqual(m[2], sign(m[1], sid)) ? m[1] : undefined;
    },
  };
}

/**
 * The media store and the intake stage the `media:` block describes.
 *
 * @example
 * ```ts
 * const media = createMediaWiring(config.media, { dataDir, channel, fetch, log, signingSecret });
 * createPipeline({ ...deps, intake: media.intake }); // understanding reads media.store.get(part.stored.id)
 * ```
 */
export function createMediaWiring(
  settings: MediaSettings,
  deps: { dataDir: string; channel(id: string): ChannelAdapter | undefined; fetch: typeof fetch; log: Logger; signingSecret: string },
) {
  const store = createMediaStore(settings, deps.dataDir);
  const uploads = uploadSigner(deps.signingSecret);
  const intake = createMediaIntake({ store, settings, channel: deps.channel, fetch: deps.fetch, log: deps.log, upload: uploads.verify });
  return { store, intake, uploads, settings };
}

/** The media wiring: see {@link createMediaWiring}. */
export type MediaWiring = ReturnType<typeof createMediaWiring>;

/** The state key that remembers an upload until it is sent (src/privacy/retention.ts sweeps the expired ones). */
const UPLOAD_KEY = 'media:upload:';
const UNSENT_UPLOAD_MS = 24 * 3_600_000;

/** Remembers an upload (a shopper's or an agent's) for a day: unsent by then, the retention sweep deletes it. */
export function rememberUpload(store: Pick<Store, 'kvSet'>, id: string, now: number): Promise<void> {
  return store.kvSet(`${UPLOAD_KEY}${id}`, '1', now + UNSENT_UPLOAD_MS);
}

const idParams = rule(z.object({ id: z.string() }), 'BAD_REQUEST');

/** `content-disposition` with the name in both forms (RFC 6266). */
function disposition(kind: 'inline' | 'attachment', name: string | undefined): string {
  if (!name) return kind;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * `GET /media/:id` inside the console's signed-in API scope: the bytes with their checked type,
 * `nosniff`, a sandboxing CSP, shown inline only when a browser cannot run them.
 */
export function mountConsoleMedia(api: FastifyInstance, media: MediaStore): void {
  api.withTypeProvider<RuleTypes>().get('/media/:id', { schema: { params: idParams } }, async (req, reply) => {
    const found = await media.get(req.params.id);
    if (!found) return sendError(reply, 'NOT_FOUND', `No stored media "${req.params.id}".`);
    const type = found.media.mimeType;
    const safe = !ACTIVE.test(type);
    return reply
      .header('content-type', safe ? type : 'application/octet-stream')
      .header('content-disposition', disposition(safe && INLINE.test(type) ? 'inline' : 'attachment', found.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'; sandbox")
      .header('cache-control', 'private, max-age=86400, immutable')
      .send(found.data);
  });
}

/** A medium's kind, from its type. */
export function kindOf(type: string): 'image' | 'audio' | 'video' | 'file' {
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  return 'file';
}

/** The file name a browser sent (`x-file-name`, URI-encoded), without path or control characters. */
const nameHeader = z
  .string()
  .max(600)
  .transform((s) => {
    try {
      return [...decodeURIComponent(s)]
        .map((c) => (c < ' ' || c === '/' || c === '\\' ? '_' : c))
        .join('')
        .slice(0, 200);
    } catch {
      return undefined;
    }
  })
  .optional()
  .catch(undefined);

/** An upload as {@link checkUpload} accepts it, or the error to answer. */
type CheckedUpload =
  | { ok: true; body: Buffer; type: string; kind: ReturnType<typeof kindOf>; name: string | undefined }
  | { ok: false; code: 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE'; message: string };

/**
 * Checks a raw-body upload as every medium is checked (a shopper's from the widget, an agent's
 * from the console): not empty, its type read from its bytes and on the allow-list (else 415),
 * within its kind's size (else 413); with the file name the browser sent.
 */
export function checkUpload(req: FastifyRequest, settings: MediaSettings): CheckedUpload {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    return { ok: false, code: 'BAD_REQUEST', message: 'Send the file as the request body, with its content-type.' };
  const claimed =
    String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase() ?? '';
  const type = sniff(body, claimed);
  if (!type || !settings.allow.includes(type)) {
    return {
      ok: false,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: `This kind of file (${type ?? 'unknown'}) is not accepted. Send ${settings.allow.join(', ')}.`,
    };
  }
  const kind = kindOf(type);
  if (body.length > settings.maxBytes[kind]) {
    return { ok: false, code: 'PAYLOAD_TOO_LARGE', message: `The ${kind} is ${body.length} bytes; at most ${settings.maxBytes[kind]} are accepted.` };
  }
  return { ok: true, body, type, kind, name: nameHeader.parse(req.headers['x-file-name']) };
}

/**
 * `POST /webchat/upload`: the shopper's file as the raw body (`content-type` its type,
 * `x-file-name` its URI-encoded name), with the session's bearer token. Checked like any medium
 * (size per kind: 413; type by its bytes against the allow-list: 415), stored, and answered with
 * the reference the widget puts in its message frame: `{ ref, kind, mimeType, size, name }`.
 */
export function mountWebchatUpload(
  app: FastifyInstance,
  deps: { adapter: WebchatAdapter; media: MediaWiring; clock: Clock; limits: WebchatLimits; store: Pick<Store, 'kvSet'> },
): void {
  const { settings } = deps.media;
  const largest = Math.max(...Object.values(settings.maxBytes));
  app.register(async (scope) => {
    await widgetHeaders(scope);
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: largest }, (_req, body, done) => done(null, body));
    scope.addHook('onRequest', async (req, reply) => {
      const session = await deps.adapter.tokens.read(bearer({ headers: { authorization: req.headers.authorization } }), deps.clock.now());
      if (!session) return sendError(reply, 'INVALID_SESSION');
      await deps.limits.sends(req, session);
    });
    scope.post('/webchat/upload', async (req, reply) => {
      const upload = checkUpload(req, settings);
      if (!upload.ok) return sendError(reply, upload.code, upload.message);
      const { body, type, kind, name } = upload;
      const stored = await deps.media.store.put(body, { mimeType: type, ...(name ? { name } : {}) });
      // An upload never sent goes with the retention sweep after a day, unless a message names it by then.
      await rememberUpload(deps.store, stored.id, deps.clock.now());
      const sid = req.webchatSession?.sid ?? '';
      return { ref: deps.media.uploads.reference(stored.id, sid), kind, mimeType: type, size: stored.size, ...(name ? { name } : {}) };
    });
  });
}
