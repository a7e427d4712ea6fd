import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendError } from './http.js';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** Serves the demo shop at `/`, its assets under `/demo/`, and the widget at `/widget.js`. */
export function mountStatic(app: FastifyInstance, webDir: string): void {
  const serve = async (file: string, reply: FastifyReply) => {
    const type = types[extname(file)];
    if (!type) return sendError(reply, 404, 'not_found', 'No such file.');
    try {
      const body = await readFile(file);
      return reply.type(type).header('cache-control', 'no-cache').send(body);
    } catch {
      return sendError(reply, 404, 'not_found', 'No such file.');
    }
  };
  app.get('/', (_req, reply) => serve(join(webDir, 'demo', 'index.html'), reply));
  app.get('/widget.js', (_req, reply) => serve(join(webDir, 'widget', 'widget.js'), reply));
  app.get('/widget.css', (_req, reply) => serve(join(webDir, 'widget', 'widget.css'), reply));
  app.get<{ Params: { '*': string } }>('/demo/*', (req, reply) => {
    const rel = normalize(req.params['*']);
    if (rel.startsWith('..') || rel.includes('\0')) return sendError(reply, 404, 'not_found', 'No such file.');
    return serve(join(webDir, 'demo', rel), reply);
  });
  app.get<{ Params: { '*': string } }>('/widget/*', (req, reply) => {
    const rel = normalize(req.params['*']);
    if (rel.startsWith('..') || rel.includes('\0')) return sendError(reply, 404, 'not_found', 'No such file.');
    return serve(join(webDir, 'widget', rel), reply);
  });
}
