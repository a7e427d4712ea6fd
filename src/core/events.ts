import type { Conversation, StoredMessage } from './store.js';

/** Something that happened in a conversation, for live views (web chat tabs, agent console). */
export type ConversationEvent =
  | { type: 'messages'; conversation: Conversation; messages: StoredMessage[] }
  | { type: 'state'; conversation: Conversation; previous?: Conversation['state'] }
  | { type: 'typing'; conversation: Conversation; role: 'shopper' | 'agent' | 'bot'; on: boolean };

/**
 * An in-process bus of conversation events. Listeners must not throw; a slow listener must
 * not block (they are called synchronously).
 *
 * @example
 * ```ts
 * const off = bus.on((e) => { if (e.type === 'messages') console.log(e.messages.length); });
 * off();
 * ```
 */
export class ConversationBus {
  private readonly listeners = new Set<(event: ConversationEvent) => void>();

  on(listener: (event: ConversationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ConversationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken view must not break the pipeline.
      }
    }
  }
}
