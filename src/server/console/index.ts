/**
 * The agent console: static assets at `/console`, the REST API at `/console/api`, and the live
 * socket at `/console/socket`. The console's own page uses exactly this API (docs/api.md,
 * "Console API"), so operators can script anything an agent can click.
 */
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger, TranslatorPort } from '../../core/ports.js';
import type { Store } from '../../core/store.js';
import type { ConsoleSettings } from '../../handoff/config.js';
import type { RecentOrders } from '../../handoff/orders.js';
import type { HandoffService } from '../../handoff/service.js';
import type { HandoffStore } from '../../handoff/store.js';
import type { Localizer } from '../../language/i18n.js';
import type { Privacy } from '../../privacy/index.js';
import type { Reports } from '../../reports/index.js';
import { consoleHeaders } from '../headers.js';
import { sendError } from '../http.js';
import type { MediaStore } from '../../media/port.js';
import { mountConsoleMedia } from '../media.js';
import { serveFiles } from '../static.js';
import { mountAdminRoutes } from './admin.js';
import { mountLogin } from './login.js';
import { type ConsoleMediaDeps, mountConsoleUpload } from './media.js';
import { mountAgentRoutes } from './routes.js';
import { type ConsoleSession, CSRF_HEADER, LiveSessions, readSession, type SessionOptions } from './session.js';
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
  /** Sign-in attempts: `max` per account and `perClient` per address, in each window (`rateLimits.consoleLogin`). */
  loginLimit: { max: number; perClient: number; windowMs: number };
  webDir: string;
  now(): number;
  log: Logger;
  /** The shopper's recent orders beside a conversation, when an orders connector is configured. */
  recentOrders?: RecentOrders;
  /** Admins export and erase shoppers' data (Admin → Privacy). */
  privacy: Privacy;
  /** Stored media (photos, voice notes, files), served to signed-in agents at `/console/api/media/:id`. */
  media?: MediaStore;
  /** Admins read the reports (docs/reports.md). */
  reports: Reports;
  /** Agents attach photos and files to replies (`POST /console/api/media`), sent by signed public link. */
  attachments?: ConsoleMediaDeps;
}

declare module 'fastify' {
  interface FastifyRequest {
    consoleSession?: ConsoleSession;
    /** Where @fastify/csrf-protection reads the CSRF secret from: the console session's. */
    session?: Pick<ConsoleSession, 'csrf'>;
  }
}

/** 401 without a session (paths in `open` need none); sets `req.consoleSession`. */
function requireSession(o: SessionOptions, open: readonly string[]) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    if (open.some((p) => path === p || path.startsWith(`${p}/`))) return;
    const session = await readSession(req, o);
    if (!session) return sendError(reply, 'UNAUTHORIZED', 'Sign in first: POST /console/api/login with your e-mail and password.');
    req.consoleSession = session;
    req.session = session;
  };
}

/**
 * CSRF: the session travels in a cookie, which a browser also sends on a cross-site form post,
 * so every state-changing request with a session must carry a token from the session's secret.
 * The console page already sends it (`x-csrf-token`, from login or /me). A missing or wrong
 * token answers 403 `bad_csrf`: the HTTP error handler maps the plugin's errors (../http.ts).
 */
async function csrfProtection(api: FastifyInstance): Promise<void> {
  await api.register(csrf, {
    sessionPlugin: '@fastify/session',
    sessionKey: 'csrf',
    getToken: (req) => {
      const token = req.headers[CSRF_HEADER];
      return typeof token === 'string' ? token : undefined;
    },
  });
  api.addHook('onRequest', (req, reply, done) => {
    if (req.method === 'GET' || req.method === 'HEAD' || !req.consoleSession) return done();
    api.csrfProtection(req, reply, done);
  });
}

/** Mounts the console under `/console`. */
export function mountConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const sessions: SessionOptions = {
    handoffs: deps.handoffs,
    ttlMs: deps.settings.sessionTtlHours * 3_600_000,
    idleMs: deps.settings.sessionIdleMinutes * 60_000,
    secure: deps.secureCookies,
    now: deps.now,
    live: new LiveSessions(),
  };
  app.register(
    async (scope) => {
      await scope.register(cookie);
      await consoleHeaders(scope);
      // `/console/` is the page; `/console/assets/x` is any file of web/console.
      await serveFiles(scope, { root: join(deps.webDir, 'console'), prefix: '/assets/' });
      scope.get('/', (_req, reply) => reply.sendFile('index.html'));
      mountConsoleSocket(scope, deps, sessions);
      scope.register(
        async (api) => {
          api.addHook('onRequest', requireSession(sessions, ['/console/api/login', '/console/api/strings']));
          await csrfProtection(api);
          mountLogin(api, deps, sessions);
          mountAgentRoutes(api, deps, sessions);
          mountAdminRoutes(api, deps, sessions);
          if (deps.media) mountConsoleMedia(api, deps.media);
          if (deps.attachments) mountConsoleUpload(api, deps.attachments, { kv: deps.store, now: deps.now });
        },
        { prefix: '/api' },
      );
    },
    { prefix: '/console' },
  );
}
