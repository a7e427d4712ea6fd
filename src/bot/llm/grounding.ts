/**
 * Per-conversation memory of the LLM answerer (placeholder vault, a short masked history, the
 * streak of unanswered turns) and the knowledge-base sections prepared for the model.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { KnowledgeSection } from '../knowledge/index.js';
import { findPii, type PiiSpan, PiiVault } from '../pii/index.js';
import { sanitizeData } from './guardrails.js';
import type { ChatMessage } from './model.js';

/** What the answerer remembers about one conversation (in memory, idle entries expire). */
export interface ConversationMemory {
  vault: PiiVault;
  /** Masked shopper blocks and replies of the last turns. */
  history: ChatMessage[];
  /** Consecutive turns without a usable answer (don't know, blocked, failed). */
  streak: number;
  lastSeen: number;
}

/** Remembers conversations for `idleMs`, at most `max` of them. */
export function createMemory(options: { idleMs: number; max: number; historyMessages: number; defaultCountry?: CountryCode }) {
  const items = new Map<string, ConversationMemory>();
  let sweepIn = 256;
  return {
    get(conversationId: string, now: number): ConversationMemory {
      if (--sweepIn <= 0) {
        sweepIn = 256;
        for (const [id, m] of items) if (now - m.lastSeen > options.idleMs) items.delete(id);
      }
      let memory = items.get(conversationId);
      if (memory) items.delete(conversationId);
      else memory = { vault: new PiiVault(options.defaultCountry ? { defaultCountry: options.defaultCountry } : {}), history: [], streak: 0, lastSeen: now };
      memory.lastSeen = now;
      items.set(conversationId, memory);
      if (items.size > options.max) items.delete(items.keys().next().value as string);
      return memory;
    },
    /** Appends a finished exchange, keeping the last `historyMessages` messages. */
    remember(memory: ConversationMemory, user: string, assistant: string): void {
      memory.history.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
      if (memory.history.length > options.historyMessages) memory.history.splice(0, memory.history.length - options.historyMessages);
    },
  };
}

/** A knowledge section ready for the model: injected sentences cut, personal data located. */
export interface PreparedSection {
  title: string;
  body: string;
  spans: PiiSpan[];
  removed: number;
}

/** Sections change only on a reload: sanitising and PII detection run once per section text. */
export function createSectionCache(defaultCountry?: CountryCode, max = 5000) {
  const cache = new Map<string, PreparedSection>();
  return (section: KnowledgeSection): PreparedSection => {
    const key = `${section.title}\u0000${section.body}`;
    let prepared = cache.get(key);
    if (!prepared) {
      const { text, removed } = sanitizeData(section.body);
      prepared = { title: section.title, body: text, spans: findPii(text, defaultCountry ? { defaultCountry } : {}), removed };
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(key, prepared);
    }
    return prepared;
  };
}
