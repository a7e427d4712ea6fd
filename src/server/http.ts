import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type HttpErrorCode, ParleyError } from '../core/errors.js';
import { hasControlCharacter } from '../core/input.js';
import type { Logger } from '../core/ports.js';
import { registerRateLimits } from './limits.js';
import { validatorCompiler } from './validation.js';

/**
 * Answers with a registry error: its status and `{ error: <wire name>, message }`, the message
 * saying what to do (the registry's default when none is given).
 *
 * @example
 * ```ts
 * if (!agent) return sendError(reply, 'NOT_FOUND', `No agent "${id}".`); // 404 { error: 'not_found', message }
 * ```
 */
export function sendError(reply: FastifyReply, code: HttpErrorCode, message?: string) {
  return replyWith(reply, new ParleyError(code, message));
}

/** The same error on a socket (web chat, console): `{ type: 'error', code: <wire name>, message }`. */
export function errorFrame(err: ParleyError): { type: 'error'; code: string; message: string } {
  return { type: 'error', code: err.wire, message: err.message };
}

function replyWith(reply: FastifyReply, err: ParleyError) {
  // 429 (rate limits, sign-in lock-out): when to come back, in whole seconds.
  if (err.retryAfterMs !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
  return reply
    .code(err.statusCode ?? 500)
    .type('application/json')
    .send({ error: err.wire, message: err.message });
}

/** Fastify's own errors (and its plugins') in Parley's vocabulary; undefined for a server fault. */
function fromFastify(err: Error & { code?: string; statusCode?: number }, req: FastifyRequest, bodyLimit: number): ParleyError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ParleyError('PAYLOAD_TOO_LARGE', `The body is larger than ${bodyLimit} bytes.`);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ParleyError('BAD_JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ParleyError('UNSUPPORTED_MEDIA_TYPE', unsupported(req.headers['content-type']));
    // A path that tries to leave a static folder is answered like any missing file.
    case 'FST_STATIC_FORBIDDEN_PATH':
      return notFoundError(req);
    // The console's CSRF check (@fastify/csrf-protection, mounted in ./console/index.ts).
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return new ParleyError('BAD_CSRF');
  }
  if (err.statusCode && err.statusCode < 500) return new ParleyError('BAD_REQUEST', err.message, { statusCode: err.statusCode });
  return undefined;
}

/**
 * The Fastify instance every route is mounted on. Bodies are JSON, parsed by Fastify and checked
 * by each route's zod rules (./validation.ts); only the webhooks scope keeps raw bytes, since
 * signatures are computed over them (./webhooks.ts).
 */
export async function createHttpServer(options: {
  bodyLimit: number;
  trustProxy: boolean;
  log: Logger;
  /** Paths that answer CORS (for the widget on shop pages), and the allowed origins (all when unset). */
  cors?: { paths: string[]; origins?: readonly string[] | undefined };
}): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: options.bodyLimit, trustProxy: options.trustProxy, logger: false, return503OnClosing: true });
  const corsPaths = options.cors?.paths ?? [];
  const corsOn = { origin: options.cors?.origins ? [...options.cors.origins] : true, allowedHeaders: ['content-type', 'authorization'], maxAge: 600 };
  const corsOff = { origin: false };
  await app.register(cors, {
    delegator: (req, cb) => cb(null, corsPaths.some((p) => req.url?.startsWith(p)) ? corsOn : corsOff),
  });
  // JSON only (text/plain would reach the rules as a string); an empty body reads as none.
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    body.length === 0 ? done(null, undefined) : json(req, body as string, (err, value) => done(err ?? bodyShapeError(req, value), value)),
  );
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('preValidation', refuseControlCharacters);
  app.addHook('onRoute', (route) => options.log.debug({ method: route.method, url: route.url, jsonBody: route.config?.jsonBody ?? 'object' }, 'route'));
  await app.register(websocket, { options: { maxPayload: options.bodyLimit } });
  await registerRateLimits(app);
  // Every error a route throws (or Fastify raises) is answered here, in one vocabulary: a
  // registry error with a status as itself, Fastify's own as their registry code, the rest as
  // 500 `internal` and logged (operator-only codes included: their messages are not for clients).
  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, req, reply) => {
    // Read the rest before answering: a client still sending would otherwise get a broken pipe
    // instead of the 413.
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') await drain(req.raw, 16 * options.bodyLimit, 5000);
    const known = err instanceof ParleyError ? (err.statusCode === undefined ? undefined : err) : fromFastify(err, req, options.bodyLimit);
    if (known) return replyWith(reply, known);
    options.log.error({ err, url: req.routeOptions.url }, 'request failed');
    return sendError(reply, 'INTERNAL');
  });
  app.setNotFoundHandler(notFound);
  return app;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The JSON a route's body must be: an object (the default) or an array. */
    jsonBody?: 'object' | 'array';
  }
}

/**
 * Every JSON body is an object (an array where the route says so): `null`, `0`, `"x"` or `[]`
 * answer 400 on every route, before any hook or handler reads them, whatever its rules.
 */
function bodyShapeError(req: FastifyRequest, value: unknown): ParleyError | null {
  const want = req.routeOptions.config?.jsonBody ?? 'object';
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  if (got === want) return null;
  const article = got === 'null' ? '' : /^[aeiou]/.test(got) ? 'an ' : 'a ';
  return new ParleyError('BAD_REQUEST', `The body must be a JSON ${want}, not ${article}${got}.`);
}

/**
 * Ids (path parameters) and query values never hold control characters: `%00` in a URL is
 * refused with 400 and the reason, before it reaches a lookup. After the routes' own auth hooks,
 * so an unauthenticated client learns nothing more.
 */
async function refuseControlCharacters(req: FastifyRequest): Promise<void> {
  for (const [where, values] of [
    ['Path parameter', req.params],
    ['Query parameter', req.query],
  ] as const) {
    if (!values || typeof values !== 'object') continue;
    for (const [name, value] of Object.entries(values)) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (typeof v !== 'string' || !hasControlCharacter(v)) continue;
        throw new ParleyError('BAD_REQUEST', `${where} "${name}" holds a control character (such as %00); ids and query values never do.`);
      }
    }
  }
}

function notFoundError(req: FastifyRequest): ParleyError {
  return new ParleyError('NOT_FOUND', `Nothing at ${req.method} ${req.url.split('?')[0]}.`);
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  return replyWith(reply, notFoundError(req));
}

function unsupported(type: string | undefined): string {
  const got = type ? `"${type.slice(0, 100)}"` : 'a body without content-type';
  return `Send the body as JSON with content-type: application/json (got ${got}).`;
}

/** Discards what is left of a request body, up to `maxBytes` or `ms`. */
function drain(stream: NodeJS.ReadableStream & { readableEnded?: boolean }, maxBytes: number, ms: number): Promise<void> {
  if (stream.readableEnded) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const timer = setTimeout(finish, ms);
    function finish() {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      resolve();
    }
    function onData(chunk: Buffer) {
      seen += chunk.length;
      if (seen > maxBytes) finish();
    }
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', finish);
    stream.resume();
  });
}
