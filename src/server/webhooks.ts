import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ChannelAdapter, RawRequest, VerifiedRequest } from '../core/adapter.js';
import type { InboundEvent } from '../core/message.js';
import type { Logger } from '../core/ports.js';
import type { InboxItem } from '../core/store.js';
import { sendError } from './http.js';
import type { PassiveAnswer } from './passive.js';

/** What the webhook routes need from the gateway. */
export interface WebhookDeps {
  channel(id: string): ChannelAdapter | undefined;
  /** The one way in: persists verified, normalised events (deduplicated) and returns the newly accepted ones. */
  inbox: { accept(events: InboundEvent[]): Promise<InboxItem[]> };
  /** For channels that answer inside the response: the reply if it is ready within budget. */
  passiveReply(adapter: ChannelAdapter, events: readonly InboundEvent[], accepted: InboxItem[], startedAt: number): Promise<PassiveAnswer | undefined>;
  now(): number;
  log: Logger;
  /**
   * Throttles senders that are not platforms (the web chat's shoppers), once verified. Platform
   * webhooks are never throttled: a refused one is an event the platform drops or sends again.
   */
  throttle?(adapter: ChannelAdapter, req: FastifyRequest, verified: VerifiedRequest): Promise<void>;
}

/** The adapter's view of a request: raw bytes, lower-cased headers, query. */
function toRawRequest(req: FastifyRequest): RawRequest {
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

/**
 * `POST /webhooks/:channelId`: verify over the raw bytes → normalise → persist → acknowledge.
 * The acknowledgement is sent only after the events are committed, so an acknowledged event
 * is never lost. `GET` answers platform handshakes.
 */
export function mountWebhooks(app: FastifyInstance, deps: WebhookDeps): void {
  app.register(async (scope) => mountRaw(scope, deps));
}

function mountRaw(app: FastifyInstance, deps: WebhookDeps): void {
  // Signatures are computed over the exact bytes, whatever the content type (JSON, XML, form):
  // this scope alone parses nothing and hands the adapters a Buffer.
  // https://fastify.dev/docs/latest/Reference/ContentTypeParser/
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post<{ Params: { channelId: string } }>('/webhooks/:channelId', async (req, reply) => {
    const startedAt = deps.now();
    const adapter = deps.channel(req.params.channelId);
    if (!adapter) return sendError(reply, 'UNKNOWN_CHANNEL', `No channel "${req.params.channelId}" is configured.`);
    const verified = await adapter.verify(toRawRequest(req));
    if (!verified.ok) {
      deps.log.warn({ channel: adapter.id, reason: verified.reason }, 'webhook rejected');
      return reply.code(verified.status).send();
    }
    await deps.throttle?.(adapter, req, verified.request);
    const normalized = adapter.normalize(verified.request);
    const accepted = await deps.inbox.accept(normalized.events);
    let passive = adapter.passiveReply ? await deps.passiveReply(adapter, normalized.events, accepted, startedAt) : undefined;
    if (passive) {
      // Delivered only once written: a platform that hung up first gets the answer by its API.
      const { settle } = passive;
      const settled = (written: boolean) => void settle(written).catch((err: unknown) => deps.log.error({ err }, 'passive reply not settled'));
      if (req.raw.socket?.destroyed) {
        settled(false);
        passive = undefined;
      } else reply.raw.once('close', () => settled(reply.raw.writableFinished));
    }
    const ack = passive?.ack ?? normalized.ack;
    if (ack.headers) reply.headers(ack.headers);
    return reply.code(ack.status).send(ack.body ?? '');
  });

  app.get<{ Params: { channelId: string } }>('/webhooks/:channelId', async (req, reply) => {
    const adapter = deps.channel(req.params.channelId);
    if (!adapter) return sendError(reply, 'UNKNOWN_CHANNEL', `No channel "${req.params.channelId}" is configured.`);
    if (!adapter.handshake) return sendError(reply, 'METHOD_NOT_ALLOWED', `Channel "${adapter.id}" takes POST only.`);
    const ack = await adapter.handshake(toRawRequest(req));
    if (ack.headers) reply.headers(ack.headers);
    return reply.code(ack.status).send(ack.body ?? '');
  });
}
