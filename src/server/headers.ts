/**
 * Security headers (@fastify/helmet) for what browsers load from the gateway: the agent console,
 * the chat widget with its endpoints, and the demo shop. Each is registered inside its own
 * scope; webhooks and the REST API are for servers and get none. Helmet's defaults are not
 * used: each policy below is all there is (no `upgrade-insecure-requests`, which would break a
 * gateway served over plain http on a local network).
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The directives all three share: nothing from elsewhere, no plugins, no `<base>` tricks. */
const base = {
  'default-src': ["'self'"],
  'base-uri': ["'none'"],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'img-src': ["'self'", 'data:'],
  // The console and the widget set style attributes from script (widths, the accent colour).
  'style-src': ["'self'", "'unsafe-inline'"],
  // The console's and the widget's sockets go to this origin ('self' covers ws: and wss: there).
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
};

// Browsers ignore it over plain http; no includeSubDomains: the shop's other hosts are not ours to pin.
const hsts = { maxAge: 15_552_000, includeSubDomains: false };

/**
 * The console: its own scripts and styles only, never framed (clickjacking an agent's reply or
 * an admin's agent list), no referrer leaving with a conversation id in the URL.
 */
export async function consoleHeaders(scope: FastifyInstance): Promise<void> {
  await scope.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { ...base, 'frame-ancestors': ["'none'"] } },
    frameguard: { action: 'deny' },
    hsts,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The widget's files and endpoints, loaded by shop pages on other origins: `widget.js` through a
 * `<script>` tag (a no-cors request, which `Cross-Origin-Resource-Policy: same-origin` would
 * block), the JSON endpoints through CORS. Nothing here is a page: no one may frame it.
 */
export async function widgetHeaders(scope: FastifyInstance): Promise<void> {
  await scope.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    frameguard: { action: 'deny' },
    hsts,
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The demo shop: a page with its own inline styles, running the widget from this origin. The
 * widget shows pictures, video and audio a shopper or the shop sent, from wherever they are.
 */
export async function demoHeaders(scope: FastifyInstance): Promise<void> {
  const media = ["'self'", 'data:', 'https:'];
  await scope.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: { ...base, 'img-src': media, 'media-src': media, 'frame-ancestors': ["'self'"] } },
    hsts,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  });
}
