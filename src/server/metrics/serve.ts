import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '../../core/errors.js';
import type { Logger } from '../../core/ports.js';
import { sendError } from '../http.js';

/** What `/metrics` answers with: the backlog read, then every metric in the text format. */
export interface Scrape {
  contentType: string;
  render(): Promise<string>;
}

/** The `metrics:` block (src/config/schema.ts). */
interface MetricsSettings {
  key?: string | undefined;
  port?: number | undefined;
  host: string;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `Authorization: Bearer <key>` against the configured key, in constant time: both sides are
 * hashed first, so neither the content nor the length of the key leaks through timing.
 */
function keyMatches(header: string | undefined, key: string): boolean {
  const presented = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  return timingSafeEqual(digest(presented), digest(key)) && presented !== '';
}

const KEY_NEEDED = 'Send Authorization: Bearer <key> with the key from metrics.key.';

/** `GET /metrics` on the gateway's own port, for scrapers that send the key. */
export function mountMetrics(app: FastifyInstance, key: string, scrape: Scrape): void {
  app.get('/metrics', async (req, reply) => {
    if (!keyMatches(req.headers.authorization, key)) {
      reply.header('www-authenticate', 'Bearer');
      return sendError(reply, 'UNAUTHORIZED', KEY_NEEDED);
    }
    return reply.type(scrape.contentType).send(await scrape.render());
  });
}

function answer(res: ServerResponse, err: ParleyError): void {
  if (err.code === 'UNAUTHORIZED') res.setHeader('www-authenticate', 'Bearer');
  res.writeHead(err.statusCode ?? 500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: err.wire, message: err.message }));
}

async function handle(req: IncomingMessage, res: ServerResponse, settings: MetricsSettings, scrape: Scrape, log: Logger): Promise<void> {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (path !== '/metrics') return answer(res, new ParleyError('NOT_FOUND', 'This listener serves GET /metrics only.'));
  if (req.method !== 'GET' && req.method !== 'HEAD') return answer(res, new ParleyError('METHOD_NOT_ALLOWED', 'GET /metrics only.'));
  if (settings.key !== undefined && !keyMatches(req.headers.authorization, settings.key)) return answer(res, new ParleyError('UNAUTHORIZED', KEY_NEEDED));
  try {
    const body = await scrape.render();
    res.writeHead(200, { 'content-type': scrape.contentType }).end(req.method === 'HEAD' ? undefined : body);
  } catch (err) {
    log.error({ err }, 'metrics scrape failed');
    answer(res, new ParleyError('INTERNAL'));
  }
}

/**
 * `/metrics` on a listener of its own (`metrics.port`), bound to `metrics.host`: the public
 * port then has no `/metrics` at all. Resolves to its URL once it listens.
 */
export async function listenForMetrics(settings: MetricsSettings & { port: number }, scrape: Scrape, log: Logger): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => void handle(req, res, settings, scrape, log));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      const why = cause.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${cause.code ?? cause.message})`;
      reject(new ParleyError('CONFIG_INVALID', `Metrics port ${settings.port} on ${settings.host} ${why}. Set metrics.port to a free port.`, { cause }));
    });
    server.listen(settings.port, settings.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : settings.port;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  if (settings.key === undefined && !/^(127\.|::1$|localhost$)/.test(settings.host)) {
    log.warn(
      { host: settings.host, port },
      'metrics are served without a key on a non-loopback address: anyone who reaches it can read them (set metrics.key)',
    );
  }
  log.info({ host: settings.host, port }, 'metrics listening');
  return { url: `http://${host}:${port}`, server };
}
