/**
 * The agent console: static assets at `/console`, the REST API at `/console/api`, and the live
 * socket at `/console/socket`. The console's own page uses exactly this API (docs/api.md,
 * "Console API"), so operators can script anything an agent can click.
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger, TranslatorPort } from '../../core/ports.js';
import type { Store } from '../../core/store.js';
import type { ConsoleSettings } from '../../handoff/config.js';
import type { RecentOrders } from '../../handoff/orders.js';
import type { HandoffService } from '../../handoff/service.js';
import type { HandoffStore } from '../../handoff/store.js';
import type { Localizer } from '../../language/i18n.js';
import { sendError } from '../http.js';
import { mountAdminRoutes } from './admin.js';
import { mountAgentRoutes } from './routes.js';
import { type ConsoleSession, csrfOk, readSession, type SessionOptions } from './session.js';
import { mountConsoleSocket } from './socket.js';

/** What the console needs from the composition root. */
export interface ConsoleDeps {
  service: HandoffService;
  handoffs: HandoffStore;
  store: Store;
  translator: TranslatorPort;
  localizer: Localizer;
  shop: { workingLanguage: string; defaultLanguage: string; languages: readonly string[] };
  settings: ConsoleSettings;
  defaultCapacity: number;
  /** The knowledge-base folder corrections are written to. */
  knowledgeDir: string;
  /** Reloads the knowledge base and swaps the index the bot answers from. */
  reloadKnowledge(): Promise<number>;
  /** Cookies get `Secure` when the public URL is https. */
  secureCookies: boolean;
  webDir: string;
  now(): number;
  log: Logger;
  /** The shopper's recent orders beside a conversation, when an orders connector is configured. */
  recentOrders?: RecentOrders;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
  }
}

const assetTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Session and CSRF guard for the API: 401 without a session, 403 without the CSRF token. */
function guard(o: SessionOptions, open: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    if (open.some((p) => path === p || path.startsWith(`${p}/`))) return;
    const session = await readSession(req, o);
    if (!session) return sendError(reply, 401, 'unauthorized', 'Sign in first: POST /console/api/login with your e-mail and password.');
    if (req.method !== 'GET' && req.method !== 'HEAD' && !csrfOk(req, session)) {
      return sendError(reply, 403, 'bad_csrf', 'Send the x-csrf-token header with the token from POST /console/api/login or GET /console/api/me.');
    }
    req.consoleSession = session;
  };
}

/** Mounts the console under `/console`. */
export function mountConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const sessions: SessionOptions = { handoffs: deps.handoffs, ttlMs: deps.settings.sessionTtlHours * 3_600_000, secure: deps.secureCookies, now: deps.now };
  app.register(
    async (scope) => {
      await scope.register(cookie);
      const serve = async (file: string, reply: FastifyReply) => {
        const type = assetTypes[extname(file)];
        if (!type) return sendError(reply, 404, 'not_found', 'No such file.');
        try {
          const body = await readFile(file);
          return reply
            .type(type)
            .header('cache-control', 'no-cache')
            .header('x-frame-options', 'DENY')
            .header(
              'content-security-policy',
              "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
            )
            .send(body);
        } catch {
          return sendError(reply, 404, 'not_found', 'No such file.');
        }
      };
      const dir = join(deps.webDir, 'console');
      scope.get('/', (_req, reply) => serve(join(dir, 'index.html'), reply));
      scope.get<{ Params: { '*': string } }>('/assets/*', (req, reply) => {
        const rel = normalize(req.params['*']);
        if (rel.startsWith('..') || rel.includes('\0')) return sendError(reply, 404, 'not_found', 'No such file.');
        return serve(join(dir, rel), reply);
      });
      mountConsoleSocket(scope, deps, sessions);
      scope.register(
        async (api) => {
          api.addHook('onRequest', guard(sessions, ['/console/api/login', '/console/api/strings']));
          mountAgentRoutes(api, deps, sessions);
          mountAdminRoutes(api, deps);
        },
        { prefix: '/api' },
      );
    },
    { prefix: '/console' },
  );
}
