import type { FastifyInstance } from 'fastify';
import type { ChannelAdapter } from '../core/adapter.js';
import type { Store } from '../core/store.js';

/** `/healthz`: the process answers. `/readyz`: the database answers too. */
export function mountHealth(app: FastifyInstance, deps: { store: Store; channels: ReadonlyMap<string, ChannelAdapter> }): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await deps.store.getSetting('ready-probe');
      return { status: 'ready', channels: [...deps.channels.values()].map((c) => ({ id: c.id, type: c.type })) };
    } catch {
      return reply.code(503).send({ status: 'unavailable', error: 'store', message: 'The database does not answer.' });
    }
  });
}
