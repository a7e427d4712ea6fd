import cors from '@fastify/cors';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { RawRequest } from '../core/adapter.js';
import { isParleyError } from '../core/errors.js';
import type { Logger } from '../core/ports.js';

/** A JSON error body: a stable machine code and a sentence that says what to do. */
export function sendError(reply: FastifyReply, status: number, error: string, message: string) {
  return reply.code(status).type('application/json').send({ error, message });
}

/** The adapter's view of a request: raw bytes, lower-cased headers, query. */
export function toRawRequest(req: FastifyRequest): RawRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  return {
    method: req.method,
    url: req.url,
    headers,
    query: { ...(req.query as Record<string, string | undefined>) },
    body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  };
}

/** Parses a JSON body or answers 400; returns undefined when it answered. */
export function jsonBody<T = Record<string, unknown>>(req: FastifyRequest, reply: FastifyReply): T | undefined {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) return {} as T;
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    sendError(reply, 400, 'bad_json', 'The body is not valid JSON.');
    return undefined;
  }
}

/**
 * The Fastify instance every route is mounted on. Bodies stay raw bytes (webhook signatures
 * are computed over them); routes parse what they need.
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
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  await app.register(websocket, { options: { maxPayload: options.bodyLimit } });
  app.setErrorHandler(async (err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // Read the rest before answering: a client still sending would otherwise get a broken
      // pipe instead of the 413.
      await drain(req.raw, 16 * options.bodyLimit, 5000);
      return sendError(reply, 413, 'payload_too_large', `The body is larger than ${options.bodyLimit} bytes.`);
    }
    if (isParleyError(err, 'WEBHOOK_BAD_PAYLOAD')) return sendError(reply, 400, 'bad_payload', err.message);
    if (err.statusCode && err.statusCode < 500) return sendError(reply, err.statusCode, 'bad_request', err.message);
    options.log.error({ err, url: req.routeOptions.url }, 'request failed');
    return sendError(reply, 500, 'internal', 'Something went wrong on our side. Try again later.');
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'not_found', `Nothing at ${req.method} ${req.url.split('?')[0]}.`));
  return app;
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
