import { extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { demoHeaders, widgetHeaders } from './headers.js';

/**
 * What is served, by extension. Anything else under a served folder (a TypeScript source beside
 * its build, a README) is a 404.
 */
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Where {@link serveFiles} serves from and what it adds to each answer. */
interface FileOptions {
  root: string;
  /** URL prefix of `root`'s files, e.g. `/widget/`. */
  prefix: string;
}

/**
 * Serves `root`'s files at `prefix*` with @fastify/static, which refuses paths that leave `root`.
 * `cache-control: no-cache`: browsers revalidate (ETag) and get a new widget or console at once.
 * A missing file is the gateway's JSON 404.
 */
export async function serveFiles(app: FastifyInstance, o: FileOptions): Promise<void> {
  await app.register(fastifyStatic, {
    root: o.root,
    prefix: o.prefix,
    decorateReply: true,
    index: false,
    cacheControl: false,
    allowedPath: (path) => Object.hasOwn(types, extname(path)),
    setHeaders: (reply, path) => {
      reply.header('content-type', types[extname(path)]).header('cache-control', 'no-cache');
    },
  });
}

/**
 * Serves the widget at `/widget.js` (its files under `/widget/`), for shop pages anywhere, and
 * the demo shop at `/` (its assets under `/demo/`); each with its own security headers.
 */
export function mountStatic(app: FastifyInstance, webDir: string): void {
  const demo = join(webDir, 'demo');
  const widget = join(webDir, 'widget');
  app.register(async (scope) => {
    await widgetHeaders(scope);
    await serveFiles(scope, { root: widget, prefix: '/widget/' });
    scope.get('/widget.js', (_req, reply) => reply.sendFile('widget.js'));
    scope.get('/widget.css', (_req, reply) => reply.sendFile('widget.css'));
  });
  app.register(async (scope) => {
    await demoHeaders(scope);
    await serveFiles(scope, { root: demo, prefix: '/demo/' });
    scope.get('/', (_req, reply) => reply.sendFile('index.html'));
  });
}
