import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isParleyError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';
import { RequestInvalidError, validatorCompiler } from './validation.js';

/** A JSON error body: a stable machine code and a sentence that says what to do. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).type('application/json').send({ error, message });
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
    body.length === 0 ? done(null, undefined) : json(req, body as string, done),
  );
  app.setValidatorCompiler(validatorCompiler);
  await app.register(websocket, { options: { maxPayload: options.bodyLimit } });
  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // Read the rest before answering: a client still sending would otherwise get a broken
      // pipe instead of the 413.
      await drain(req.raw, 16 * options.bodyLimit, 5000);
      return sendError(reply, 413, 'payload_too_large', `The body is larger than ${options.bodyLimit} bytes.`);
    }
    if (err instanceof RequestInvalidError) return sendError(reply, 400, err.code, err.message);
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return sendError(reply, 400, 'bad_json', 'The body is not valid JSON.');
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'unsupported_media_type', unsupported(req.headers['content-type']));
    // A path that tries to leave a static folder is answered like any missing file.
    if (err.code === 'FST_STATIC_FORBIDDEN_PATH') return notFound(req, reply);
    if (isParleyError(err, 'WEBHOOK_BAD_PAYLOAD')) return sendError(reply, 400, 'bad_payload', err.message);
    if (err.statusCode && err.statusCode < 500) return sendError(reply, err.statusCode, 'bad_request', err.message);
    options.log.error({ err, url: req.routeOptions.url }, 'request failed');
    return sendError(reply, 500, 'internal', 'Something went wrong on our side. Try again later.');
  });
  app.setNotFoundHandler(notFound);
  return app;
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, 404, 'not_found', `Nothing at ${req.method} ${req.url.split('?')[0]}.`);
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
