import type { ChannelAdapter } from './adapter.js';
import type { Answer, AnswerDelta, Answerer, AnswerRequest, ShopperContext } from './answerer.js';
import { degrade } from './degrade.js';
import { matchChoice } from './degrade.js';
import { type InboundEvent, type MembershipEvent, type MessageEvent, type Part, type PostbackEvent, plainText, type ReactionEvent } from './message.js';
import type { Clock, LanguageDecision, LanguageDetectorPort, Localize, Logger, Translation, TranslatorPort } from './ports.js';
import type { Conversation, InboxItem, NewMessage, OutboxItem, Store, StoredMessage, TurnCommit } from './store.js';
import { type Localized, languageName, localizeParts } from './translate-parts.js';

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
  /** What the shopper wrote, as written. */
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

/** What the shopper said in this turn, once choices are mapped back to payloads. */
interface Said {
  text: string;
  payload?: string;
  parts: Part[];
}

/**
 * Runs one inbound event through the pipeline, top to bottom:
 * identify → (delivery receipts) → read → detect language → translate in → route
 * → answer or hand off → translate out → degrade → commit (messages + outbox, once).
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
    const event = item.event;
    const log = deps.log.child({ channel: event.channelId, inbox: item.id, type: event.type });
    const started = clock.now();
    const conversation = await identify(event);
    const commit = await turnFor(item, event, conversation, log);
    const { committed, messages, claimed, next } = await store.commitTurn(commit, clock.now(), {
      ...(deps.deliver ? { claimOutbox: { leaseMs: deps.deliver.leaseMs } } : {}),
      ...(deps.inboxLeaseMs ? { claimNext: { leaseMs: deps.inboxLeaseMs } } : {}),
    });
    if (committed) deps.committed?.(conversation, messages, item.id, commit.conversation);
    if (claimed.length) deps.deliver?.adopt(claimed);
    // Rows the commit could not claim (held for a passive reply, or behind an earlier one) are the outbox's to find.
    else if (committed && messages.some((m) => m.direction === 'out' && m.status === 'pending')) deps.deliver?.wake();
    log.info({ ms: clock.now() - started, committed, messages: messages.length }, 'turn done');
    return { committed, next };
  }

  async function identify(event: InboundEvent): Promise<Conversation> {
    // An existing conversation already names its shopper: one lookup on every turn but the first.
    const existing = await store.findConversation(event.ref);
    if (existing) return existing;
    const now = clock.now();
    const shopper = await store.ensureShopper(event.channelId, event.ref.userId, now, event.senderName);
    return store.ensureConversation(event.ref, shopper.id, now);
  }

  async function turnFor(item: InboxItem, event: InboundEvent, conv: Conversation, log: Logger): Promise<TurnCommit> {
    const base = { inboxId: item.id, conversationId: conv.id, messages: [] as NewMessage[] };
    switch (event.type) {
      case 'message':
      case 'postback':
        return converse(base, event, conv, log);
      case 'edit':
        // An edited question is a question: answered again, as written now.
        return converse(base, { ...event, type: 'message' }, conv, log);
      case 'reaction':
        return event.emoji ? { ...base, messages: [reactionMessage(base.inboxId, event)] } : base;
      case 'membership':
        await deps.membership?.(event);
        return base;
      case 'delivery':
        await store.updateMessageStatus(event.messageId, event.status);
        return base;
      case 'system':
        if (event.name === 'language' && event.detail) return { ...base, conversation: { language: event.detail } };
        return base;
      default:
        return base;
    }
  }

  async function converse(base: TurnCommit, event: MessageEvent | PostbackEvent, conv: Conversation, log: Logger): Promise<TurnCommit> {
    const said = read(event, conv);
    const decision = deps.detector.detect(said.text, {
      ...(event.hints?.explicit ? { explicit: event.hints.explicit } : {}),
      ...(conv.language ? { sticky: conv.language } : {}),
      hints: { ...(event.hints?.locale ? { locale: event.hints.locale } : {}), ...(event.hints?.country ? { country: event.hints.country } : {}) },
    });
    // A button press says nothing about the shopper's language: its label is Parley's words.
    const language = said.payload && conv.language ? conv.language : decision.language;
    // A button's label is Parley's own words, shown from the shopper's locale: never translated.
    const incoming = said.payload ? { text: said.text, provider: 'none' } : await translateIn(said.text, language, conv.id);
    const working = incoming.text;
    const inbound: NewMessage = {
      id: `m${base.inboxId}-in`,
      role: 'shopper',
      direction: 'in',
      parts: said.parts,
      originalText: said.text,
      ...(working !== said.text ? { translatedText: working, provider: incoming.provider } : {}),
      language,
      ...(event.messageId ? { platformMessageId: event.messageId } : {}),
    };
    const touched = { language, lastInboundAt: event.timestamp || clock.now(), ref: event.ref };
    const turn: HandoffTurn = {
      conversation: conv,
      text: said.text,
      workingText: working,
      language,
      messageId: inbound.id,
      ...(said.payload ? { payload: said.payload } : {}),
    };
    // A person owns the conversation (or will): the bot stays silent unless the handoff lets it answer.
    if (conv.state !== 'bot') {
      const human = await deps.handoff?.humanTurn?.(turn);
      if (!human?.bot) return humanReply(base, inbound, touched, human, conv, language);
    }

    const before = await deps.handoff?.check({ ...turn, stage: 'before' });
    // Another module's message (care: an opt-out word, a rating): stored, and no bot answer.
    const claimed = before ? undefined : await deps.intercept?.(turn);
    if (claimed) return humanReply(base, inbound, touched, claimed.reply ? { parts: claimed.reply } : undefined, conv, language);

    const channel = deps.channel(conv.channelId);
    const shopperT = deps.localize(language);
    const stopTyping = typingWhileSlow(channel, conv, log);
    let answer: Answer;
    let out: Localized;
    try {
      // "请说中文", "/lang es": the switch is the answer, in the language switched to.
      answer =
        switched(decision, said, language, shopperT) ?? (await answerOrHandoff(turn, before, said.payload, incoming, channel, log, `m${base.inboxId}-out`));
      const notice = answer.handoff
        ? ((await deps.handoff?.queued?.(turn, answer.handoff.reason)) ?? [{ kind: 'text' as const, text: shopperT('bot.handoff_queued') }])
        : [];
      // What the answer says (an order that can still be cancelled...), then, on a handoff, the queue notice.
      const written = answer.parts.length
        ? await localizeParts(answer.parts, {
            to: language,
            from: language,
            translator: deps.translator,
            t: shopperT,
            conversationId: conv.id,
            offerPerson: !answer.handoff,
          })
        : { parts: [] };
      out = { ...written, parts: [...written.parts, ...notice] };
    } finally {
      stopTyping();
    }
    const state = answer.handoff ? ('awaiting_agent' as const) : 'bot';
    const replyParts = out.parts;
    const reply = degrade({ parts: replyParts }, channel?.capabilities ?? fallbackCaps(), shopperT);
    const outbound: NewMessage = {
      id: `m${base.inboxId}-out`,
      role: 'bot',
      direction: 'out',
      parts: replyParts,
      originalText: plainText(answer.parts),
      ...(out.provider ? { translatedText: plainText(replyParts), provider: out.provider } : {}),
      language,
      outbound: reply.messages,
      // Leave the webhook time to send this as a passive reply before the outbox may.
      ...(channel?.passiveReply ? { holdUntil: clock.now() + (channel.replyBudgetMs ?? 4000) + 2000 } : {}),
    };
    if (answer.handoff) log.info({ reason: answer.handoff.reason }, 'handoff requested');
    return {
      ...base,
      messages: [inbound, outbound],
      conversation: { ...touched, state, offered: reply.offered ?? [] },
    };
  }

  /** The acknowledgement of a language request ("请说中文", "/lang es"), in the language asked for. */
  function switched(decision: LanguageDecision, said: Said, language: string, t: Localize): Answer | undefined {
    if (decision.source !== 'command' || said.payload) return undefined;
    return { parts: [{ kind: 'text', text: t('bot.language_switched', { language: languageName(language, language) }) }], confidence: 1, sources: [] };
  }

  /** Shows "typing…" once the answer has taken `typingAfterMs`; returns what stops the timer. */
  function typingWhileSlow(channel: ChannelAdapter | undefined, conv: Conversation, log: Logger): () => void {
    if (!channel?.sendTyping) return () => undefined;
    const show = () => channel.sendTyping?.(conv.ref).catch((err) => log.debug({ err }, 'typing failed'));
    const after = deps.typingAfterMs ?? 300;
    if (after <= 0) {
      void show();
      return () => undefined;
    }
    const timer = setTimeout(show, after);
    return () => clearTimeout(timer);
  }

  /** Hand-off triggers around the answerer: before it (anger, rules; checked by the caller) and after it (unsure answers). */
  async function answerOrHandoff(
    turn: HandoffTurn,
    before: { reason: string } | undefined,
    payload: string | undefined,
    incoming: Translation,
    channel: ChannelAdapter | undefined,
    log: Logger,
    replyId: string,
  ): Promise<Answer> {
    const handoff = (reason: string): Answer => ({ parts: [], confidence: 1, sources: [], handoff: { reason } });
    if (before) return handoff(before.reason);
    const answer = await answerSafely(turn, payload, incoming, channel, log, replyId);
    if (answer.handoff || payload) return answer;
    const after = await deps.handoff?.check({ ...turn, stage: 'after', confidence: answer.confidence });
    return after ? handoff(after.reason) : answer;
  }

  /** A turn the bot does not answer (a person owns it, or an interceptor took it): the shopper's message, and the owner's reply if it has one. */
  function humanReply(
    base: TurnCommit,
    inbound: NewMessage,
    touched: TurnCommit['conversation'],
    human: { parts?: Part[]; state?: Conversation['state'] } | undefined,
    conv: Conversation,
    language: string,
  ): TurnCommit {
    const patch = { ...touched, ...(human?.state ? { state: human.state } : {}) };
    if (!human?.parts?.length) return { ...base, messages: [inbound], conversation: patch };
    const channel = deps.channel(conv.channelId);
    const reply = degrade({ parts: human.parts }, channel?.capabilities ?? fallbackCaps(), deps.localize(language));
    // Written in the shopper's language already: no working-language original.
    const outbound: NewMessage = { id: `m${base.inboxId}-out`, role: 'bot', direction: 'out', parts: human.parts, language, outbound: reply.messages };
    return { ...base, messages: [inbound, outbound], conversation: { ...patch, offered: reply.offered ?? [] } };
  }

  /** Maps a numbered reply or a label back to the payload offered last. */
  function read(event: MessageEvent | PostbackEvent, conv: Conversation): Said {
    if (event.type === 'postback') {
      const text = event.label ?? event.payload;
      // A payload the channel had to shorten (Telegram's 64 bytes) is not one offered: its label maps it back.
      const offered = conv.offered ?? [];
      const known = offered.some((o) => o.payload === event.payload);
      const payload = !known && offered.length ? (matchChoice(text, offered)?.payload ?? event.payload) : event.payload;
      return { text, payload, parts: [{ kind: 'text', text }] };
    }
    const text = plainText(event.parts);
    const choice = conv.offered?.length ? matchChoice(text, conv.offered) : undefined;
    return { text, parts: event.parts, ...(choice ? { payload: choice.payload } : {}) };
  }

  async function answerSafely(
    turn: HandoffTurn,
    payload: string | undefined,
    incoming: Translation,
    channel: ChannelAdapter | undefined,
    log: Logger,
    replyId: string,
  ): Promise<Answer> {
    const working = deps.shop.workingLanguage;
    const translated = !incoming.untranslated && incoming.provider !== 'none' && incoming.text !== turn.text;
    const shopper = await deps.verified?.(turn.conversation);
    const request: AnswerRequest = {
      conversationId: turn.conversation.id,
      text: turn.text,
      language: turn.language,
      ...(translated ? { working: { text: incoming.text, language: working } } : {}),
      ...(payload ? { payload } : {}),
      t: deps.localize(turn.language),
      capabilities: channel?.capabilities ?? fallbackCaps(),
      ...(shopper ? { shopper } : {}),
    };
    try {
      const onDelta = streamTo(turn, channel, replyId, log);
      return await (onDelta && deps.answerer.answerStream ? deps.answerer.answerStream(request, onDelta) : deps.answerer.answer(request));
    } catch (err) {
      // Shoppers never see internal errors: they get a localised apology and a way to a person.
      log.error({ err }, 'answer failed');
      return { parts: [{ kind: 'text', text: request.t('bot.error_apology') }], confidence: 0, sources: [] };
    }
  }

  /**
   * Where a reply goes while it is written. Streamed text is written in the shopper's language
   * and can only be corrected by an edit, so: edit-capable channels, the bot's own turns.
   */
  function streamTo(turn: HandoffTurn, channel: ChannelAdapter | undefined, replyId: string, log: Logger): ((delta: AnswerDelta) => void) | undefined {
    const stream = deps.stream;
    if (!stream || !deps.answerer.answerStream || !channel?.capabilities.edit) return undefined;
    if (turn.conversation.state !== 'bot') return undefined;
    let at = 0;
    return ({ text }) => {
      try {
        stream(turn.conversation, replyId, text, at);
        at += text.length;
      } catch (err) {
        log.warn({ err }, 'stream delta failed');
      }
    };
  }

  async function translateIn(text: string, language: string, conversationId: string): Promise<Translation> {
    const working = deps.shop.workingLanguage;
    if (!text || sameLanguage(language, working)) return { text, provider: 'none' };
    return deps.translator.translate(text, language, working, { conversationId });
  }

  return { runTurn };
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function fallbackCaps() {
  return {
    maxTextLength: 1000,
    markup: 'plain',
    buttons: false,
    list: false,
    cards: false,
    media: [],
    typing: false,
    edit: false,
  } as const;
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
