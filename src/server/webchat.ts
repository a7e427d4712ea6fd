import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { bearer, type Session, type VerifiedIdentity, verifyIdentity, type WebchatAdapter, type WireMessage } from '../../adapters/webchat/index.js';
import type { ChannelAdapter, VerifiedRequest } from '../core/adapter.js';
import { isParleyError, ParleyError } from '../core/errors.js';
import type { InboundEvent } from '../core/message.js';
import type { ConversationBus } from '../core/events.js';
import type { Clock, Logger } from '../core/ports.js';
import type { Conversation, InboxItem, Store, StoredMessage } from '../core/store.js';
import { widgetHeaders } from './headers.js';
import { errorFrame, sendError } from './http.js';
import { clientKey, type Limit, throttle, type Throttle } from './limits.js';
import { rule, type RuleTypes } from './validation.js';

/** What the web chat routes need. */
export interface WebchatDeps {
  adapter: WebchatAdapter;
  store: Store;
  /** Where frames from the socket go, like every event: the inbox (returns the newly accepted ones). */
  inbox: { accept(events: InboundEvent[]): Promise<InboxItem[]> };
  /** The widget's strings for a language (falls back to English). */
  widgetStrings(language: string): Record<string, unknown> | undefined;
  clock: Clock;
  log: Logger;
  /** Typing both ways: the shopper's to the console, an agent's to the widget. */
  bus?: ConversationBus;
  /**
   * Links a session to the shop's customer the shop's server vouched for (signed identity):
   * `taken` when the session already belongs to another customer.
   */
  identify?(sessionId: string, identity: VerifiedIdentity): Promise<'linked' | 'taken'>;
  /** New sessions per client address, and sends per session ({@link webchatLimits}). */
  limits: WebchatLimits;
}

/** The web chat's throttles: anyone on the internet can open a session and write. */
export interface WebchatLimits {
  /** `POST /webchat/session`, per client address. */
  sessions: Throttle;
  /** A message or button press of `session`, over the socket or HTTP: one count per session, whichever way it comes. */
  sends(req: FastifyRequest, session: Session): Promise<void>;
  /** For the webhook route: throttles sends to this web chat, after their token is verified; other channels pass. */
  webhook(adapter: ChannelAdapter, req: FastifyRequest, verified: VerifiedRequest): Promise<void>;
}

/**
 * The web chat's limits (`rateLimits.webchatSession`, `rateLimits.webchatMessage`). Sends are
 * counted per session, not per address: shoppers behind one address (an office, a mobile
 * carrier's NAT) each get their own allowance, and new sessions are themselves limited per address.
 */
export function webchatLimits(app: FastifyInstance, adapter: WebchatAdapter, limits: { webchatSession: Limit; webchatMessage: Limit }): WebchatLimits {
  const sessions = throttle(app, limits.webchatSession, 'new chat sessions from this address', clientKey);
  const perSession = throttle(app, limits.webchatMessage, 'messages in this chat', (req) =>
    req.webchatSession ? `sid:${req.webchatSession.sid}` : clientKey(req),
  );
  const sends = (req: FastifyRequest, session: Session) => {
    req.webchatSession = session;
    return perSession(req);
  };
  return {
    sessions,
    sends,
    webhook: async (channel, req, verified) => (channel.id === adapter.id ? sends(req, verified.verified as Session) : undefined),
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    webchatSession?: Session;
  }
}

// Anything but a valid token starts a new conversation: a token of the wrong type is no error.
const sessionBody = rule(z.object({ token: z.string().optional().catch(undefined) }), 'BAD_REQUEST');
const messagesQuery = rule(z.object({ after: z.coerce.number().int().min(0).default(0) }), 'BAD_QUERY', () => 'after must be a sequence number.');
const socketQuery = rule(z.object({ token: z.string().optional().catch(undefined) }), 'BAD_QUERY');

/** A stored message as the widget sees it. */
export function toWire(m: StoredMessage): WireMessage {
  const wire: WireMessage = { id: m.id, seq: m.seq, role: m.role, parts: m.parts, createdAt: m.createdAt };
  if (m.role === 'shopper' && m.platformMessageId) wire.clientId = m.platformMessageId;
  return wire;
}

/** What the routes and the socket share: the deps, the session check, a session's conversation. */
interface WebchatContext {
  deps: WebchatDeps;
  conversationOf(session: Session): Promise<Conversation>;
  /** Before the body or query is read: without a session nothing else is answered. */
  requireSession(req: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

/**
 * The widget's endpoints: sessions, strings, the history, and the socket. Sends over HTTP go
 * through the ordinary webhook route (`POST /webhooks/<webchat id>`).
 */
export function mountWebchat(app: FastifyInstance, deps: WebchatDeps): void {
  const { adapter, store, clock } = deps;
  deps.bus?.on((e) => {
    if (e.type === 'typing' && e.role === 'agent' && e.conversation.channelId === adapter.id) {
      adapter.hub.publish(e.conversation.ref.chatId, { type: 'typing', role: 'agent', on: e.on });
    }
  });
  const ctx: WebchatContext = {
    deps,
    async conversationOf(session) {
      const ref = { channelId: adapter.id, chatId: session.sid, userId: session.sid };
      const shopper = await store.ensureShopper(adapter.id, session.sid, clock.now());
      return store.ensureConversation(ref, shopper.id, clock.now());
    },
    async requireSession(req, reply) {
      const session = await adapter.tokens.read(bearer({ headers: { authorization: req.headers.authorization } }), clock.now());
      if (!session) return sendError(reply, 'INVALID_SESSION');
      req.webchatSession = session;
    },
  };
  app.register(async (scope) => {
    await widgetHeaders(scope);
    mountSessionRoutes(scope, ctx);
    mountIdentify(scope, ctx);
    mountSocket(scope, ctx);
  });
}

/** Sessions, the widget's strings and the message history. */
function mountSessionRoutes(app: FastifyInstance, ctx: WebchatContext): void {
  const { adapter, store, clock } = ctx.deps;
  const api = app.withTypeProvider<RuleTypes>();
  api.post('/webchat/session', { onRequest: ctx.deps.limits.sessions, schema: { body: sessionBody } }, async (req) => {
    const current = await adapter.tokens.read(req.body.token, clock.now());
    // A valid token keeps its conversation (and is refreshed); anything else starts a new one.
    const { token, session } = await adapter.tokens.issue(clock.now(), current?.sid);
    const conversation = await ctx.conversationOf(session);
    return { token, conversationId: conversation.id, resumed: Boolean(current) };
  });

  api.get('/webchat/locales/:lng', { schema: { params: rule(z.object({ lng: z.string() }), 'BAD_REQUEST') } }, async (req, reply) => {
    const strings = ctx.deps.widgetStrings(req.params.lng);
    if (!strings) return sendError(reply, 'NOT_FOUND', `No widget strings for "${req.params.lng}".`);
    return reply.header('cache-control', 'public, max-age=300').send(strings);
  });

  api.get('/webchat/messages', { onRequest: ctx.requireSession, schema: { querystring: messagesQuery } }, async (req) => {
    const conversation = await ctx.conversationOf(req.webchatSession as Session);
    const messages = await store.listMessages(conversation.id, { afterSeq: req.query.after, limit: 500 });
    return { messages: messages.map(toWire) };
  });
}

/**
 * A logged-in shopper, as the shop's page reports them with its server's signature (docs:
 * adapters/webchat/README.md). The body has no schema here: verifyIdentity checks its shape
 * with the signature, and anything unsigned or malformed is the documented 401.
 */
function mountIdentify(app: FastifyInstance, ctx: WebchatContext): void {
  const { adapter, identify, log } = ctx.deps;
  const check = adapter.config.identitySecret && identify ? { secret: adapter.config.identitySecret, link: identify } : undefined;
  const identityOn = async (_req: FastifyRequest, reply: FastifyReply) => {
    if (!check) return sendError(reply, 'IDENTITY_OFF');
  };
  app.post('/webchat/identify', { onRequest: [ctx.requireSession, identityOn] }, async (req, reply) => {
    const session = req.webchatSession as Session;
    const identity = check && verifyIdentity(check.secret, req.body);
    if (!check || !identity) {
      log.warn({ channel: adapter.id, session: session.sid.slice(0, 8) }, 'web chat identity refused: unsigned or wrongly signed');
      return sendError(reply, 'INVALID_SIGNATURE');
    }
    const linked = await check.link(session.sid, identity);
    if (linked === 'taken') return sendError(reply, 'SESSION_TAKEN');
    return { verified: true };
  });
}

/** The widget's socket: replies and agent typing out, messages, presses, typing and syncs in. */
function mountSocket(app: FastifyInstance, ctx: WebchatContext): void {
  const { adapter, clock } = ctx.deps;
  app.withTypeProvider<RuleTypes>().get('/webchat/socket', { websocket: true, schema: { querystring: socketQuery } }, (socket, req) => {
    // Frames sent while the token is checked are held, then handled in order: none is lost.
    const early: Buffer[] = [];
    const hold = (data: Buffer) => void early.push(data);
    socket.on('message', hold);
    void adapter.tokens.read(req.query.token, clock.now()).then((session) => {
      socket.off('message', hold);
      if (!session) {
        send(socket, errorFrame(new ParleyError('INVALID_SESSION')));
        socket.close(4401, 'invalid session');
        return;
      }
      if (socket.readyState === socket.OPEN) void openSocket(ctx, socket, req, session, early);
    });
  });
}

async function openSocket(ctx: WebchatContext, socket: WebSocket, req: FastifyRequest, session: Session, early: Buffer[]): Promise<void> {
  const log = ctx.deps.log.child({ channel: ctx.deps.adapter.id, socket: session.sid.slice(0, 8) });
  const detach = ctx.deps.adapter.hub.add(session.sid, socket);
  socket.on('close', detach);
  // Register the frame handler at once: a frame sent right after opening must not be lost.
  const conversation = ctx.conversationOf(session);
  const onMessage = (data: Buffer) => {
    void conversation
      .then((conv) => onFrame(ctx, socket, { req, session }, conv, data))
      .catch((err) => {
        log.error({ err }, 'socket frame failed');
        send(socket, errorFrame(new ParleyError('INTERNAL', 'Something went wrong on our side. Try again.')));
      });
  };
  socket.on('message', onMessage);
  for (const data of early) onMessage(data);
  send(socket, { type: 'ready', conversationId: (await conversation).id });
}

async function onFrame(
  ctx: WebchatContext,
  socket: WebSocket,
  from: { req: FastifyRequest; session: Session },
  conv: Conversation,
  data: Buffer,
): Promise<void> {
  let frame: { type?: unknown; on?: unknown; after?: unknown } | null;
  try {
    frame = JSON.parse(data.toString('utf8')) as typeof frame;
  } catch {
    frame = null;
  }
  if (!frame || typeof frame !== 'object') return send(socket, errorFrame(new ParleyError('BAD_JSON', 'Frames are JSON objects.')));
  if (frame.type === 'sync') {
    const after = Number(frame.after ?? 0);
    const messages = await ctx.deps.store.listMessages(conv.id, { afterSeq: Number.isFinite(after) ? after : 0, limit: 500 });
    return send(socket, { type: 'history', messages: messages.map(toWire) });
  }
  if (frame.type === 'typing') {
    ctx.deps.bus?.emit({ type: 'typing', conversation: conv, role: 'shopper', on: frame.on === true });
    return;
  }
  try {
    await ctx.deps.limits.sends(from.req, from.session);
    const { frame: parsed, event } = ctx.deps.adapter.eventFromFrame(data, from.session);
    const accepted = await ctx.deps.inbox.accept([event]);
    if ('clientId' in parsed && parsed.clientId) send(socket, ackFrame(parsed.clientId, event, accepted[0]));
  } catch (err) {
    // Over the limit the frame is not accepted: the widget keeps the message and says to slow down.
    if (!isParleyError(err, 'BAD_PAYLOAD') && !isParleyError(err, 'RATE_LIMITED')) throw err;
    send(socket, errorFrame(err));
  }
}

/**
 * The ack names the id the shopper's message is stored under (the pipeline's `m<inbox id>-in`),
 * so the widget's bubble and the echo are one message. A redelivered clientId accepts nothing new.
 */
function ackFrame(clientId: string, event: InboundEvent, accepted: InboxItem | undefined): object {
  if (!accepted) return { type: 'ack', clientId, duplicate: true };
  const stored = event.type === 'message' || event.type === 'postback';
  return { type: 'ack', clientId, ...(stored ? { id: `m${accepted.id}-in` } : {}) };
}

function send(socket: WebSocket, frame: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
