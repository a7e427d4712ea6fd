import type { ChannelAdapter } from './adapter.js';
import type { Answerer, ShopperContext, TurnMedia } from './answerer.js';
import { converse } from './converse.js';
import type { InputLimits } from './input.js';
import type { EditEvent, InboundEvent, MembershipEvent, MessageEvent, Part, ReactionEvent } from './message.js';
import { type Clock, type LanguageDetectorPort, type Localize, type Logger, type TranslatorPort, withFields } from './ports.js';
import type { Conversation, InboxItem, NewMessage, OutboxItem, Store, StoredMessage, TurnCommit } from './store.js';

/** The ports one turn runs on. Built once by the composition root. */
export interface PipelineDeps {
  store: Store;
  channel(id: string): ChannelAdapter | undefined;
  answerer: Answerer;
  detector: LanguageDetectorPort;
  translator: TranslatorPort;
  /** Fixed strings in a language (falls back to the shop default). */
  localize(language: string | undefined): Localize;
  shop: { workingLanguage: string; defaultLanguage: string };
  /** What of a message the bot reads (config `limits`); the defaults of src/core/input.ts when absent. */
  limits?: InputLimits;
  clock: Clock;
  log: Logger;
  /**
   * The outbox, to hand a turn's reply straight to: the commit claims the reply's row (lease
   * `leaseMs`) and `adopt` delivers it, without waiting for the outbox's next claim.
   */
  deliver?: { leaseMs: number; adopt(items: OutboxItem[]): void; wake(): void };
  /**
   * The inbox's lease: with it, a turn's commit also claims the conversation's next pending
   * event (it waited for this turn), returned by `runTurn` for the inbox to run next.
   */
  inboxLeaseMs?: number;
  /** Called after a turn is committed, with the stored messages (sockets, console, outbox wake-up). */
  committed?(conversation: Conversation, messages: StoredMessage[], inboxId: number, patch?: TurnCommit['conversation']): void;
  /** Human handoff (src/handoff): more triggers, business-hours notices, turns a person owns. */
  handoff?: HandoffPort;
  /**
   * Shows a reply while it is written, on channels that can edit (web chat): `text` goes at
   * offset `at` of message `messageId`, the id the turn's reply is committed under; the committed
   * parts then replace everything streamed. A retried turn streams again from offset 0, so a
   * client that cuts the text at `at` before appending never shows a piece twice. Only called
   * when the answerer streams, the shopper writes in the working language and the bot owns the
   * conversation.
   *
   * @example
   * ```ts
   * createPipeline({ ...deps, stream: (conv, id, text, at) => hub.publish(conv.ref.chatId, { type: 'delta', id, text, at }) });
   * ```
   */
  stream?(conversation: Conversation, messageId: string, text: string, at: number): void;
  /**
   * How long the answer may take before the shopper is shown "typing…" (default 300 ms; 0 shows
   * it at once). A quick answer needs none: it would cost a platform call per turn and only
   * flash for a moment before the reply replaces it.
   */
  typingAfterMs?: number;
  /**
   * Claims a shopper message before the bot answers it: evaluated once the bot owns the turn
   * (after the handoff's `humanTurn`) and no `before` trigger handed it off. A claimed message
   * is stored; the shopper gets the interceptor's `reply` (already in their language), or
   * nothing, never a bot answer. Undefined lets the bot answer.
   *
   * @example
   * ```ts
   * createPipeline({ ...deps, intercept: async ({ text }) => (/^stop$/i.test(text) ? { handled: true, reply: [{ kind: 'text', text: 'Unsubscribed.' }] } : undefined) });
   * ```
   */
  intercept?(turn: InterceptTurn): Promise<Intercepted | undefined>;
  /**
   * The contacts the shop and the channel have verified for a conversation's shopper (never
   * anything typed in a message): passed to the answerer, so a buyer sees their own order.
   */
  verified?(conversation: Conversation): Promise<ShopperContext | undefined>;
  /** The shopper followed, unfollowed, blocked or unblocked the channel (care stops or resumes). */
  membership?(event: MembershipEvent): Promise<void>;
  /**
   * Media intake (src/media/intake.ts), first in a message's turn: each image, video, file and
   * voice note is fetched with the channel's auth, checked and stored, and gets `stored` (or
   * `intakeError`, keeping its url). `attempt` is the inbox's count: a re-run turn stores the
   * same bytes under the same id and, after a few failed turns, fetches nothing more.
   *
   * @example
   * ```ts
   * createPipeline({ ...deps, intake: createMediaIntake({ store: media, settings: config.media, channel, fetch, log }) });
   * ```
   */
  intake?<E extends MessageEvent | EditEvent>(event: E, attempt: number): Promise<E>;
  /**
   * Listens to and looks at a message's media before its language is settled: voice notes get
   * their `transcript` (read as the turn's text, shown to agents), and every medium is described
   * for the answerer. Without it, media reach the answerer undescribed.
   *
   * @example
   * ```ts
   * createPipeline({ ...deps, understand: createUnderstanding({ media, transcriber, log }) });
   * ```
   */
  understand?(event: MessageEvent): Promise<Understood>;
}

/** A message's parts once its voice notes are transcribed, and its media as the answerer sees them. */
export interface Understood {
  parts: Part[];
  media: TurnMedia[];
}

/** What an interceptor sees of a shopper turn. */
export type InterceptTurn = Pick<HandoffTurn, 'conversation' | 'text' | 'payload' | 'language' | 'messageId'>;

/** A message an interceptor took: `reply` goes out instead of the bot's answer. */
export interface Intercepted {
  handled: true;
  reply?: Part[];
}

/** One shopper turn as the handoff sees it. */
export interface HandoffTurn {
  conversation: Conversation;
  /** What the shopper wrote, as the bot reads it: words longer than `limits.maxWordLength` shortened. */
  text: string;
  /** The same in the working language. */
  workingText: string;
  language: string;
  payload?: string;
  /** The id the shopper's message is stored under: the same when a failed turn is retried. */
  messageId?: string;
}

/**
 * The pipeline's seam to the human handoff. Without it, only the shopper asking and the
 * answerer's `handoff` move a conversation to a person, with the `bot.handoff_queued` notice.
 *
 * @example
 * ```ts
 * const handoff: HandoffPort = {
 *   async check({ text }) { return /refund/i.test(text) ? { reason: 'keyword:refund' } : undefined; },
 * };
 * createPipeline({ ...deps, handoff });
 * ```
 */
export interface HandoffPort {
  /**
   * Whether this turn should go to a person: `before` the bot answers (anger, operator
   * rules), and `after` with the answer's confidence (a streak of unsure answers).
   */
  check(turn: HandoffTurn & ({ stage: 'before' } | { stage: 'after'; confidence: number })): Promise<{ reason: string } | undefined>;
  /** The turn hands off: records why, and says what the shopper is told (undefined: the default notice). */
  queued?(turn: HandoffTurn, reason: string): Promise<Part[] | undefined>;
  /**
   * A shopper turn while the state is not `bot` (queued, assigned, feedback): cancelling,
   * rating. Returns the reply (already in the shopper's language) and the new state; `bot:
   * true` lets the bot answer this turn; undefined keeps the bot silent.
   */
  humanTurn?(turn: HandoffTurn): Promise<{ parts?: Part[]; state?: Conversation['state']; bot?: boolean } | undefined>;
}

/**
 * Runs one inbound event through the pipeline, top to bottom:
 * identify → (delivery receipts) → read → detect language → translate in → route
 * → answer or hand off → translate out → degrade → commit (messages + outbox, once).
 * A shopper's message or button press is ./converse.ts.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline(deps);
 * for (const item of await store.claimInbox(now, leaseMs, 10)) await pipeline.runTurn(item);
 * ```
 */
export function createPipeline(deps: PipelineDeps) {
  const { store, clock } = deps;

  async function runTurn(item: InboxItem): Promise<{ committed: boolean; next: InboxItem[] }> {
    const log = withFields(deps.log, { channel: item.event.channelId, inbox: item.id, type: item.event.type });
    const started = clock.now();
    const event = deps.intake && (item.event.type === 'message' || item.event.type === 'edit') ? await deps.intake(item.event, item.attempts) : item.event;
    const conversation = await identify(deps, event);
    const commit = await turnFor(deps, item, event, conversation, log);
    const { committed, messages, claimed, next } = await store.commitTurn(commit, clock.now(), {
      ...(deps.deliver ? { claimOutbox: { leaseMs: deps.deliver.leaseMs } } : {}),
      ...(deps.inboxLeaseMs ? { claimNext: { leaseMs: deps.inboxLeaseMs, convKey: item.convKey } } : {}),
    });
    if (committed) deps.committed?.(conversation, messages, item.id, commit.conversation);
    if (claimed.length) deps.deliver?.adopt(claimed);
    // Rows the commit could not claim (held for a passive reply, or behind an earlier one) are the outbox's to find.
    else if (committed && messages.some((m) => m.direction === 'out' && m.status === 'pending')) deps.deliver?.wake();
    log.info({ ms: clock.now() - started, committed, messages: messages.length }, 'turn done');
    return { committed, next };
  }

  return { runTurn };
}

async function identify({ store, clock }: PipelineDeps, event: InboundEvent): Promise<Conversation> {
  // An existing conversation already names its shopper: one lookup on every turn but the first.
  const existing = await store.findConversation(event.ref);
  if (existing) return existing;
  const now = clock.now();
  const shopper = await store.ensureShopper(event.channelId, event.ref.userId, now, event.senderName);
  return store.ensureConversation(event.ref, shopper.id, now);
}

async function turnFor(deps: PipelineDeps, item: InboxItem, event: InboundEvent, conv: Conversation, log: Logger): Promise<TurnCommit> {
  const base = { inboxId: item.id, conversationId: conv.id, messages: [] as NewMessage[] };
  switch (event.type) {
    case 'message':
    case 'postback':
      return converse(deps, base, event, conv, log);
    case 'edit':
      // An edited question is a question: answered again, as written now.
      return converse(deps, base, { ...event, type: 'message' }, conv, log);
    case 'reaction':
      return event.emoji ? { ...base, messages: [reactionMessage(base.inboxId, event)] } : base;
    case 'membership':
      await deps.membership?.(event);
      return base;
    case 'delivery':
      await deps.store.updateMessageStatus(event.messageId, event.status);
      return base;
    case 'system':
      if (event.name === 'language' && event.detail) return { ...base, conversation: { language: event.detail } };
      return base;
    default:
      return base;
  }
}

/**
 * A reaction kept in the conversation for the agents to see ("👍" on a reply), stored as the
 * shopper's message but never answered.
 */
function reactionMessage(inboxId: number, event: ReactionEvent): NewMessage {
  return {
    id: `m${inboxId}-in`,
    role: 'shopper',
    direction: 'in',
    parts: [{ kind: 'text', text: event.emoji }],
    originalText: event.emoji,
  };
}
