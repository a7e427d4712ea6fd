/**
 * One message or button press from the shopper, turned into the turn's commit: read it and
 * settle its language, translate it into the working language, decide who answers (the person
 * who owns the conversation, an interceptor, or the bot), then build the messages to store
 * and send.
 */
import type { ChannelAdapter } from './adapter.js';
import type { Answer, AnswerDelta, AnswerRequest, ShopperContext, TurnMedia } from './answerer.js';
import { degrade, matchChoice } from './degrade.js';
import { defaultInputLimits, readable } from './input.js';
import { type MessageEvent, type Part, type PostbackEvent, plainText } from './message.js';
import type { PipelineDeps, HandoffTurn } from './pipeline.js';
import type { LanguageDecision, Localize, Logger, Translation } from './ports.js';
import type { Conversation, NewMessage, TurnCommit } from './store.js';
import { type Localized, languageName, localizeParts } from './translate-parts.js';

/** What the shopper said in this turn, once choices are mapped back to payloads. */
interface Said {
  /** As the bot reads it: words longer than `limits.maxWordLength` shortened. */
  text: string;
  /** As written (up to `limits.maxTextLength`): what is stored and shown to agents. */
  written: string;
  payload?: string;
  parts: Part[];
}

/** The shopper's turn, read and in the working language: what every outcome is built from. */
interface Heard {
  said: Said;
  decision: LanguageDecision;
  /** The shopper's language in this turn. */
  language: string;
  /** What the shopper said, in the working language. */
  incoming: Translation;
  /** The shopper's message as it is stored. */
  inbound: NewMessage;
  /** What every outcome writes to the conversation. */
  touched: NonNullable<TurnCommit['conversation']>;
  turn: HandoffTurn;
  /** Goes before any reply: the message was cut to `limits.maxTextLength` (empty when it was not). */
  notice: Part[];
  /** The message's photos, videos, files and voice notes, as `understand` left them. */
  media: TurnMedia[];
}

/** The bot's reply before it is stored. */
interface BotReply {
  answer: Answer;
  /** The answer's parts in the shopper's language, then the queue notice on a handoff. */
  out: Localized;
  channel: ChannelAdapter | undefined;
  t: Localize;
}

/** A shopper's message or button press: heard, then answered by whoever owns the turn (a person, an interceptor, the bot). */
export async function converse(
  deps: PipelineDeps,
  base: TurnCommit,
  event: MessageEvent | PostbackEvent,
  conv: Conversation,
  log: Logger,
): Promise<TurnCommit> {
  const heard = await hear(deps, base, event, conv);
  const { turn } = heard;
  // A person owns the conversation (or will): the bot stays silent unless the handoff lets it answer.
  if (conv.state !== 'bot') {
    const human = await deps.handoff?.humanTurn?.(turn);
    if (!human?.bot) return humanReply(deps, base, heard, human);
  }

  const before = await deps.handoff?.check({ ...turn, stage: 'before' });
  // Another module's message (care: an opt-out word, a rating): stored, and no bot answer.
  const claimed = before ? undefined : await deps.intercept?.(turn);
  if (claimed) return humanReply(deps, base, heard, claimed.reply ? { parts: claimed.reply } : undefined);

  const reply = await botReply(deps, base, heard, before, log);
  const commit = botCommit(deps, base, heard, reply);
  if (reply.answer.handoff) log.info({ reason: reply.answer.handoff.reason }, 'handoff requested');
  return commit;
}

/** Reads the turn, settles the shopper's language and puts what they said in the working language. */
async function hear(deps: PipelineDeps, base: TurnCommit, event: MessageEvent | PostbackEvent, conv: Conversation): Promise<Heard> {
  const limits = deps.limits ?? defaultInputLimits;
  // Voice notes are heard before the language is settled: their words are the turn's text.
  const understood = event.type === 'message' && deps.understand ? await deps.understand(event) : undefined;
  const said = read(event.type === 'message' && understood ? { ...event, parts: understood.parts } : event, conv, limits.maxWordLength);
  const decision = deps.detector.detect(said.text, {
    ...(event.hints?.explicit ? { explicit: event.hints.explicit } : {}),
    ...(conv.language ? { sticky: conv.language } : {}),
    hints: { ...(event.hints?.locale ? { locale: event.hints.locale } : {}), ...(event.hints?.country ? { country: event.hints.country } : {}) },
  });
  // A button press says nothing about the shopper's language: its label is Parley's words.
  const language = said.payload && conv.language ? conv.language : decision.language;
  // A button's label is Parley's own words, shown from the shopper's locale: never translated.
  const incoming: Translation = said.payload ? { text: said.text, provider: 'none' } : await translateIn(deps, said.text, language, conv.id);
  const working = incoming.text;
  const inbound: NewMessage = {
    id: `m${base.inboxId}-in`,
    role: 'shopper',
    direction: 'in',
    parts: said.parts,
    originalText: said.written,
    ...(working !== said.text ? { translatedText: working, provider: incoming.provider } : {}),
    language,
    ...(event.messageId ? { platformMessageId: event.messageId } : {}),
  };
  const touched = { language, lastInboundAt: event.timestamp || deps.clock.now(), ref: event.ref };
  const turn: HandoffTurn = {
    conversation: conv,
    text: said.text,
    workingText: working,
    language,
    messageId: inbound.id,
    ...(said.payload ? { payload: said.payload } : {}),
  };
  const notice = cutNotice(deps, event, language, limits.maxTextLength);
  return { said, decision, language, incoming, inbound, touched, turn, notice, media: understood?.media ?? [] };
}

/** What the shopper is told when their message was longer than Parley reads (src/core/input.ts). */
function cutNotice(deps: PipelineDeps, event: MessageEvent | PostbackEvent, language: string, max: number): Part[] {
  if (event.type !== 'message' || !event.textCutFrom) return [];
  return [{ kind: 'text', text: deps.localize(language)('bot.message_cut', { max: max.toLocaleString(language) }) }];
}

/** Maps a numbered reply or a label back to the payload offered last. */
function read(event: MessageEvent | PostbackEvent, conv: Conversation, maxWord: number): Said {
  if (event.type === 'postback') {
    const written = event.label ?? event.payload;
    const text = readable(written, maxWord);
    // A payload the channel had to shorten (Telegram's 64 bytes) is not one offered: its label maps it back.
    const offered = conv.offered ?? [];
    const known = offered.some((o) => o.payload === event.payload);
    const payload = !known && offered.length ? (matchChoice(text, offered)?.payload ?? event.payload) : event.payload;
    return { text, written, payload, parts: [{ kind: 'text', text: written }] };
  }
  const written = plainText(event.parts);
  const text = readable(written, maxWord);
  const choice = conv.offered?.length ? matchChoice(text, conv.offered) : undefined;
  return { text, written, parts: event.parts, ...(choice ? { payload: choice.payload } : {}) };
}

async function translateIn(deps: PipelineDeps, text: string, language: string, conversationId: string): Promise<Translation> {
  const working = deps.shop.workingLanguage;
  if (!text || sameLanguage(language, working)) return { text, provider: 'none' };
  return deps.translator.translate(text, language, working, { conversationId });
}

/** A turn the bot does not answer (a person owns it, or an interceptor took it): the shopper's message, and the owner's reply if it has one. */
function humanReply(
  deps: PipelineDeps,
  base: TurnCommit,
  { inbound, touched, language, turn, notice }: Heard,
  human: { parts?: Part[]; state?: Conversation['state'] } | undefined,
): TurnCommit {
  const patch = { ...touched, ...(human?.state ? { state: human.state } : {}) };
  const parts = [...notice, ...(human?.parts ?? [])];
  if (!parts.length) return { ...base, messages: [inbound], conversation: patch };
  const channel = deps.channel(turn.conversation.channelId);
  const reply = degrade({ parts, language }, channel?.capabilities ?? fallbackCaps(), deps.localize(language));
  // Written in the shopper's language already: no working-language original.
  const outbound: NewMessage = { id: `m${base.inboxId}-out`, role: 'bot', direction: 'out', parts, language, outbound: reply.messages };
  return { ...base, messages: [inbound, outbound], conversation: { ...patch, offered: reply.offered ?? [] } };
}

/** The bot's answer (or the handoff it leads to) in the shopper's language, with "typing…" shown while it takes. */
async function botReply(deps: PipelineDeps, base: TurnCommit, heard: Heard, before: { reason: string } | undefined, log: Logger): Promise<BotReply> {
  const { turn, said, decision, language } = heard;
  const channel = deps.channel(turn.conversation.channelId);
  const t = deps.localize(language);
  const stopTyping = typingWhileSlow(deps, channel, turn.conversation, log);
  try {
    // "请说中文", "/lang es": the switch is the answer, in the language switched to.
    const answer = switched(decision, said, language, t) ?? (await answerOrHandoff(deps, heard, before, channel, log, `m${base.inboxId}-out`));
    return { answer, out: await inShopperLanguage(deps, turn, answer, t), channel, t };
  } finally {
    stopTyping();
  }
}

/** The acknowledgement of a language request ("请说中文", "/lang es"), in the language asked for. */
function switched(decision: LanguageDecision, said: Said, language: string, t: Localize): Answer | undefined {
  if (decision.source !== 'command' || said.payload) return undefined;
  return { parts: [{ kind: 'text', text: t('bot.language_switched', { language: languageName(language, language) }) }], confidence: 1, sources: [] };
}

/** Shows "typing…" once the answer has taken `typingAfterMs`; returns what stops the timer. */
function typingWhileSlow(deps: PipelineDeps, channel: ChannelAdapter | undefined, conv: Conversation, log: Logger): () => void {
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
  deps: PipelineDeps,
  heard: Heard,
  before: { reason: string } | undefined,
  channel: ChannelAdapter | undefined,
  log: Logger,
  replyId: string,
): Promise<Answer> {
  const handoff = (reason: string): Answer => ({ parts: [], confidence: 1, sources: [], handoff: { reason } });
  if (before) return handoff(before.reason);
  const answer = await answerSafely(deps, heard, channel, log, replyId);
  if (answer.handoff || heard.said.payload) return answer;
  const after = await deps.handoff?.check({ ...heard.turn, stage: 'after', confidence: answer.confidence });
  return after ? handoff(after.reason) : answer;
}

async function answerSafely(
  deps: PipelineDeps,
  { turn, said, incoming, media }: Heard,
  channel: ChannelAdapter | undefined,
  log: Logger,
  replyId: string,
): Promise<Answer> {
  const working = deps.shop.workingLanguage;
  const translated = !incoming.untranslated && incoming.provider !== 'none' && incoming.text !== turn.text;
  // Looked up once, and only if the answerer looks an order up.
  let verified: Promise<ShopperContext | undefined> | undefined;
  const { verified: lookup } = deps;
  const shopper = lookup && (() => (verified ??= lookup(turn.conversation)));
  const request: AnswerRequest = {
    conversationId: turn.conversation.id,
    text: turn.text,
    language: turn.language,
    ...(translated ? { working: { text: incoming.text, language: working } } : {}),
    ...(said.payload ? { payload: said.payload } : {}),
    t: deps.localize(turn.language),
    capabilities: channel?.capabilities ?? fallbackCaps(),
    ...(shopper ? { shopper } : {}),
    ...(media.length ? { media } : {}),
  };
  try {
    const onDelta = streamTo(deps, turn, channel, replyId, log);
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
function streamTo(
  deps: PipelineDeps,
  turn: HandoffTurn,
  channel: ChannelAdapter | undefined,
  replyId: string,
  log: Logger,
): ((delta: AnswerDelta) => void) | undefined {
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

/** What the answer says (an order that can still be cancelled...), then, on a handoff, the queue notice. */
async function inShopperLanguage(deps: PipelineDeps, turn: HandoffTurn, answer: Answer, t: Localize): Promise<Localized> {
  const notice = answer.handoff
    ? ((await deps.handoff?.queued?.(turn, answer.handoff.reason)) ?? [{ kind: 'text' as const, text: t('bot.handoff_queued') }])
    : [];
  const written = answer.parts.length
    ? await localizeParts(answer.parts, {
        to: turn.language,
        from: turn.language,
        translator: deps.translator,
        t,
        conversationId: turn.conversation.id,
        offerPerson: !answer.handoff,
      })
    : { parts: [] };
  return { ...written, parts: [...written.parts, ...notice] };
}

/** The bot's turn as committed: the shopper's message, and the reply as the channel can show it. */
function botCommit(deps: PipelineDeps, base: TurnCommit, { inbound, touched, language, notice }: Heard, { answer, out, channel, t }: BotReply): TurnCommit {
  const state = answer.handoff ? ('awaiting_agent' as const) : 'bot';
  const replyParts = [...notice, ...out.parts];
  const reply = degrade({ parts: replyParts, language }, channel?.capabilities ?? fallbackCaps(), t);
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
    ...(channel?.passiveReply ? { holdUntil: deps.clock.now() + (channel.replyBudgetMs ?? 4000) + 2000 } : {}),
  };
  return {
    ...base,
    messages: [inbound, outbound],
    conversation: { ...touched, state, offered: reply.offered ?? [] },
  };
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
