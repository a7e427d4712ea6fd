/**
 * Conversations as an agent reads them: every message in the agent's language, with the
 * original (what the shopper wrote or read) one click away.
 */
import type { DeliveryReason } from '../core/errors.js';
import { type MediaIntakeError, type Part, plainText } from '../core/message.js';
import type { TranslatorPort } from '../core/ports.js';
import type { Conversation, Store, StoredMessage } from '../core/store.js';
import type { ConsoleOrder } from './orders.js';
import type { Agent, HandoffStore } from './store.js';

/** A message in the console. */
export interface ConsoleMessage {
  id: string;
  seq: number;
  role: StoredMessage['role'];
  direction: StoredMessage['direction'];
  status: StoredMessage['status'];
  createdAt: number;
  /** In the agent's language. */
  text: string;
  /** What the shopper wrote or read, in `originalLanguage`. */
  original: string;
  originalLanguage?: string;
  /** `text` is a translation of `original`. */
  translated: boolean;
  untranslated?: boolean;
  provider?: string;
  /** The agent who wrote it. */
  agentId?: string;
  /** Button labels the shopper was offered. */
  choices?: string[];
  /** The bot's answer may be flagged as wrong (knowledge-base upkeep). */
  flaggable?: boolean;
  /** Why a `failed` message was not delivered: the outbox's last error and its reason. */
  failure?: DeliveryFailure;
  /** Photos, voice notes, videos and files, in order: stored ones open at `/console/api/media/:id`. */
  media?: ConsoleMedia[];
}

/** A medium as the console shows it; a voice note's transcript is the message's `original`, its translation `text`. */
interface ConsoleMedia {
  kind: 'image' | 'audio' | 'video' | 'file';
  /** The media store's id, when intake kept the bytes. */
  id?: string;
  mimeType?: string;
  name?: string;
  size?: number;
  caption?: string;
  transcript?: string;
  /** Why intake could not keep it (`too_large`, `type_not_allowed`, `fetch_failed`, `unsupported`). */
  error?: MediaIntakeError['code'];
}

/** The media parts of a message, without their platform URLs (which may carry tokens). */
function consoleMedia(parts: readonly Part[]): ConsoleMedia[] {
  return parts.flatMap((p): ConsoleMedia[] => {
    if (p.kind !== 'image' && p.kind !== 'audio' && p.kind !== 'video' && p.kind !== 'file') return [];
    const size = p.stored?.size ?? ('size' in p ? p.size : undefined);
    return [
      {
        kind: p.kind,
        ...(p.stored ? { id: p.stored.id, mimeType: p.stored.mimeType } : p.mimeType ? { mimeType: p.mimeType } : {}),
        ...('name' in p && p.name ? { name: p.name } : {}),
        ...(size !== undefined ? { size } : {}),
        ...('caption' in p && p.caption ? { caption: p.caption } : {}),
        ...(p.kind === 'audio' && p.transcript ? { transcript: p.transcript } : {}),
        ...(p.intakeError ? { error: p.intakeError.code } : {}),
      },
    ];
  });
}

/** A dead-lettered delivery as the console shows it. */
interface DeliveryFailure {
  /** `auth`, `blocked`, `rate_limited`, `invalid` or `transient` (absent on rows older than the reasons). */
  reason?: DeliveryReason;
  /** The platform's answer and what to do, in English (for operators). */
  error: string;
}

export interface ViewDeps {
  store: Store;
  handoffs: HandoffStore;
  translator: TranslatorPort;
  shop: { workingLanguage: string; defaultLanguage: string };
  /** The shopper's recent orders, when an orders connector is configured (`createRecentOrders`). */
  recentOrders?(shopperId: string, texts: readonly string[]): Promise<ConsoleOrder[]>;
}

const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/**
 * Translates stored messages for one agent. Shopper messages are translated from what they
 * wrote; bot answers from the working-language text they were made from; agent and handoff
 * messages from the language they were written in.
 */
export async function displayMessages(deps: ViewDeps, agent: Agent, conversation: Conversation, messages: StoredMessage[]): Promise<ConsoleMessage[]> {
  const authors = messages.some((m) => m.role !== 'shopper') ? await deps.handoffs.authorsOf(conversation.id) : new Map();
  const failures = await failuresOf(deps.store, conversation.id, messages);
  return Promise.all(
    messages.map(async (m): Promise<ConsoleMessage> => {
      const seen = plainText(m.parts) || m.originalText || '';
      const author = authors.get(m.id);
      // A bot answer a provider translated keeps the working-language text it was made from;
      // other bot messages were written in the shopper's language (fixed strings, variants).
      const source =
        m.role === 'shopper'
          ? { text: m.originalText || seen, language: m.language }
          : author
            ? { text: m.originalText || seen, language: author.language }
            : m.provider && m.originalText
              ? { text: m.originalText, language: deps.shop.workingLanguage }
              : { text: seen, language: m.language };
      const base: ConsoleMessage = {
        id: m.id,
        seq: m.seq,
        role: m.role,
        direction: m.direction,
        status: m.status,
        createdAt: m.createdAt,
        text: source.text,
        original: m.role === 'shopper' ? m.originalText || seen : seen,
        ...(m.language ? { originalLanguage: m.language } : {}),
        translated: false,
        ...(author?.agentId ? { agentId: author.agentId } : {}),
        ...(m.role === 'bot' && !author ? { flaggable: true } : {}),
        ...(failures.has(m.id) ? { failure: failures.get(m.id) } : {}),
      };
      const choices = m.parts.flatMap((p) => (p.kind === 'choices' ? p.choices.map((c) => c.label) : []));
      if (choices.length) base.choices = choices;
      const media = consoleMedia(m.parts);
      if (media.length) base.media = media;
      if (!source.text || !source.language || same(source.language, agent.language)) return base;
      const t = await deps.translator.translate(source.text, source.language, agent.language, { conversationId: conversation.id });
      if (t.untranslated) return { ...base, untranslated: true };
      return t.text === source.text ? base : { ...base, text: t.text, translated: true, provider: t.provider };
    }),
  );
}

/** Each failed message's newest dead outbox row; nothing is read when no message failed. */
async function failuresOf(store: Store, conversationId: string, messages: StoredMessage[]): Promise<Map<string, DeliveryFailure>> {
  const failures = new Map<string, DeliveryFailure>();
  if (!messages.some((m) => m.status === 'failed')) return failures;
  for (const row of await store.listOutbox({ status: 'dead', conversationId, limit: 500 })) {
    if (failures.has(row.messageId) || !row.lastError) continue;
    failures.set(row.messageId, { error: row.lastError, ...(row.lastReason ? { reason: row.lastReason } : {}) });
  }
  return failures;
}

/** Everything the conversation view shows. */
export async function conversationView(deps: ViewDeps, agent: Agent, conversation: Conversation) {
  const [messages, notes, identities, handoff, agents] = await Promise.all([
    deps.store.listMessages(conversation.id, { afterSeq: 0, limit: 500 }),
    deps.handoffs.notesOf(conversation.id),
    deps.store.identitiesOf(conversation.shopperId),
    deps.handoffs.getHandoff(conversation.id),
    deps.handoffs.listAgents(),
  ]);
  const names = new Map(agents.map((a) => [a.id, a.name]));
  const orders =
    deps.recentOrders?.(
      conversation.shopperId,
      messages.map((m) => m.originalText || plainText(m.parts)),
    ) ?? Promise.resolve([]);
  return {
    conversation: {
      id: conversation.id,
      channelId: conversation.channelId,
      state: conversation.state,
      language: conversation.language ?? deps.shop.defaultLanguage,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      ...(handoff.agentId ? { agentId: handoff.agentId, agentName: names.get(handoff.agentId) } : {}),
      ...(handoff.reason ? { reason: handoff.reason } : {}),
      ...(handoff.teamId ? { teamId: handoff.teamId } : {}),
      ...(handoff.queuedAt ? { queuedAt: handoff.queuedAt } : {}),
    },
    shopper: {
      id: conversation.shopperId,
      identities: identities.map((i) => ({ channelId: i.channelId, userId: i.platformUserId })),
      customerRef: await deps.handoffs.customerRefOf(conversation.shopperId),
      orders: await orders,
    },
    messages: await displayMessages(deps, agent, conversation, messages),
    notes: notes.map((n) => ({ ...n, agentName: names.get(n.agentId) })),
  };
}
