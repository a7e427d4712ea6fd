import type { ChannelAdapter } from './adapter.js';
import { degrade } from './degrade.js';
import type { ConversationBus } from './events.js';
import { type OutboundMessage, type Part, plainText } from './message.js';
import type { Clock, Localize, TranslatorPort } from './ports.js';
import type { Conversation, Role, Store, StoredMessage, TurnCommit } from './store.js';
import { localizeParts } from './translate-parts.js';

/** What the sender needs. */
export interface SenderDeps {
  store: Store;
  channel(id: string): ChannelAdapter | undefined;
  translator: TranslatorPort;
  localize(language: string | undefined): Localize;
  shop: { workingLanguage: string; defaultLanguage: string };
  clock: Clock;
  bus: ConversationBus;
  /** Wakes the outbox after new rows are stored. */
  wakeOutbox(): void;
}

/** One message to send into a conversation that no inbound event caused. */
export interface Outgoing {
  /** Stable id: sending the same id twice stores and delivers it once. */
  id: string;
  role: Exclude<Role, 'shopper'>;
  parts: Part[];
  /** The language `parts` are written in; the shop's working language when absent. */
  language?: string;
  /** Conversation changes committed together with the message (e.g. state). */
  patch?: TurnCommit['conversation'];
  /**
   * The approved template that carries this message outside a platform's messaging window
   * (see {@link OutboundMessage.template}); it rides on the first platform message.
   */
  template?: OutboundMessage['template'];
}

/**
 * Sends agent replies and proactive messages: into the shopper's language (translated, or with
 * a localised note that it could not be; see {@link localizeParts}), degrade for the channel,
 * store with outbox rows, wake the outbox, tell live views.
 *
 * @example
 * ```ts
 * const send = createSender(deps);
 * await send(conversationId, { id: `agent-${uuid}`, role: 'agent', parts: [{ kind: 'text', text: '您好' }], language: 'zh-CN' });
 * ```
 */
export function createSender(deps: SenderDeps) {
  return async function send(conversationId: string, out: Outgoing): Promise<{ conversation: Conversation; messages: StoredMessage[] }> {
    const conversation = await deps.store.getConversation(conversationId);
    if (!conversation) throw new Error(`No conversation "${conversationId}".`);
    const from = out.language ?? deps.shop.workingLanguage;
    const to = conversation.language ?? deps.shop.defaultLanguage;
    const t = deps.localize(to);
    // What the shopper reads: translated, or as written after a note that it could not be.
    const localized = await localizeParts(out.parts, { from, to, translator: deps.translator, t, conversationId });
    const parts = localized.parts;
    const channel = deps.channel(conversation.channelId);
    const reply = channel ? degrade({ parts, language: to }, channel.capabilities, t) : { messages: [], offered: [] };
    const [first] = reply.messages;
    if (first && out.template) reply.messages[0] = { ...first, template: out.template };
    const messages = await deps.store.appendMessages(
      conversationId,
      [
        {
          id: out.id,
          role: out.role,
          direction: 'out',
          parts,
          originalText: plainText(out.parts),
          ...(localized.provider ? { translatedText: plainText(parts), provider: localized.provider } : {}),
          language: to,
          outbound: reply.messages,
        },
      ],
      deps.clock.now(),
      { ...(reply.offered?.length ? { offered: reply.offered } : {}), ...out.patch },
    );
    deps.wakeOutbox();
    const updated = (await deps.store.getConversation(conversationId)) ?? conversation;
    deps.bus.emit({ type: 'messages', conversation: updated, messages });
    if (out.patch?.state && out.patch.state !== conversation.state) deps.bus.emit({ type: 'state', conversation: updated, previous: conversation.state });
    return { conversation: updated, messages };
  };
}

/** Sends a message into a conversation (see {@link createSender}). */
export type Sender = ReturnType<typeof createSender>;
