import type { ChannelAdapter } from './adapter.js';
import type { Answer, Answerer } from './answerer.js';
import { degrade } from './degrade.js';
import { matchChoice } from './degrade.js';
import { type InboundEvent, type MessageEvent, type Part, type PostbackEvent, plainText } from './message.js';
import type { Clock, LanguageDetectorPort, Localize, Logger, TranslatorPort } from './ports.js';
import type { Conversation, InboxItem, NewMessage, Store, StoredMessage, TurnCommit } from './store.js';
import { translateParts } from './translate-parts.js';

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
  /** Called after a turn is committed, with the stored messages (sockets, console, outbox wake-up). */
  committed?(conversation: Conversation, messages: StoredMessage[], inboxId: number, patch?: TurnCommit['conversation']): void;
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

  async function runTurn(item: InboxItem): Promise<boolean> {
    const event = item.event;
    const log = deps.log.child({ channel: event.channelId, inbox: item.id, type: event.type });
    const started = clock.now();
    const conversation = await identify(event);
    const commit = await turnFor(item, event, conversation, log);
    const { committed, messages } = await store.commitTurn(commit, clock.now());
    if (committed) deps.committed?.(conversation, messages, item.id, commit.conversation);
    log.info({ ms: clock.now() - started, committed, messages: messages.length }, 'turn done');
    return committed;
  }

  async function identify(event: InboundEvent): Promise<Conversation> {
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

  async function converse(
    base: TurnCommit,
    event: MessageEvent | PostbackEvent,
    conv: Conversation,
    log: Logger,
  ): Promise<TurnCommit> {
    const said = read(event, conv);
    const decision = deps.detector.detect(said.text, {
      ...(event.hints?.explicit ? { explicit: event.hints.explicit } : {}),
      ...(conv.language ? { sticky: conv.language } : {}),
      hints: { ...(event.hints?.locale ? { locale: event.hints.locale } : {}), ...(event.hints?.country ? { country: event.hints.country } : {}) },
    });
    const language = decision.language;
    const working = await translateIn(said.text, language, conv.id);
    const inbound: NewMessage = {
      id: `m${base.inboxId}-in`,
      role: 'shopper',
      direction: 'in',
      parts: said.parts,
      originalText: said.text,
      ...(working !== said.text ? { translatedText: working } : {}),
      language,
      ...(event.type === 'message' && event.messageId ? { platformMessageId: event.messageId } : {}),
    };
    const touched = { language, lastInboundAt: event.timestamp || clock.now(), ref: event.ref };
    // A person owns the conversation (or will): the bot stays silent.
    if (conv.state !== 'bot') return { ...base, messages: [inbound], conversation: touched };

    const channel = deps.channel(conv.channelId);
    if (channel?.sendTyping) channel.sendTyping(conv.ref).catch((err) => log.debug({ err }, 'typing failed'));
    const answer = await answerSafely(working, said.payload, conv, channel, log);
    const state = answer.handoff ? ('awaiting_agent' as const) : conv.state;
    const shopperT = deps.localize(language);
    const replyParts = answer.handoff ? [{ kind: 'text' as const, text: shopperT('bot.handoff_queued') }] : await translateOut(answer.parts, language, conv.id);
    const reply = degrade({ parts: replyParts }, channel?.capabilities ?? fallbackCaps(), shopperT);
    const outbound: NewMessage = {
      id: `m${base.inboxId}-out`,
      role: 'bot',
      direction: 'out',
      parts: replyParts,
      originalText: plainText(answer.parts),
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

  /** Maps a numbered reply or a label back to the payload offered last. */
  function read(event: MessageEvent | PostbackEvent, conv: Conversation): Said {
    if (event.type === 'postback') {
      const text = event.label ?? event.payload;
      // A payload too long for the platform travels hashed (Telegram's 64 bytes): the label maps it back.
      const payload = event.payload.startsWith('h~') && conv.offered ? (matchChoice(text, conv.offered)?.payload ?? event.payload) : event.payload;
      return { text, payload, parts: [{ kind: 'text', text }] };
    }
    const text = plainText(event.parts);
    const choice = conv.offered?.length ? matchChoice(text, conv.offered) : undefined;
    return { text, parts: event.parts, ...(choice ? { payload: choice.payload } : {}) };
  }

  async function answerSafely(
    text: string,
    payload: string | undefined,
    conv: Conversation,
    channel: ChannelAdapter | undefined,
    log: Logger,
  ): Promise<Answer> {
    const working = deps.shop.workingLanguage;
    try {
      return await deps.answerer.answer({
        conversationId: conv.id,
        text,
        ...(payload ? { payload } : {}),
        language: working,
        t: deps.localize(working),
        capabilities: channel?.capabilities ?? fallbackCaps(),
      });
    } catch (err) {
      // Shoppers never see internal errors: they get a localised apology and a way to a person.
      log.error({ err }, 'answer failed');
      return { parts: [{ kind: 'text', text: deps.localize(working)('bot.error_apology') }], confidence: 0, sources: [] };
    }
  }

  async function translateIn(text: string, language: string, conversationId: string): Promise<string> {
    const working = deps.shop.workingLanguage;
    if (!text || sameLanguage(language, working)) return text;
    return (await deps.translator.translate(text, language, working, { conversationId })).text;
  }

  async function translateOut(parts: Part[], language: string, conversationId: string): Promise<Part[]> {
    const working = deps.shop.workingLanguage;
    if (sameLanguage(language, working)) return parts;
    return translateParts(parts, (text) => deps.translator.translate(text, working, language, { conversationId }));
  }

  return { runTurn };
}

function sameLanguage(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function fallbackCaps() {
  return { maxTextLength: 1000, markup: 'plain', buttons: false, list: false, cards: false, media: [], typing: false, edit: false, passiveReply: false } as const;
}
