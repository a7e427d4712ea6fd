/** Shared set-up for the LLM answerer's tests and benchmark: real KB, real strings, real `openai` client. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import en from '../../locales/en/bot.json' with { type: 'json' };
import { createKnowledgeAnswerer } from '../../src/bot/kb-answerer.js';
import { KnowledgeBase } from '../../src/bot/knowledge/index.js';
import { createLlmAnswerer, type LlmAnswerer, type LlmSettings } from '../../src/bot/llm/answerer.js';
import { createOpenAiModel } from '../../src/bot/llm/openai-provider.js';
import { createFileOrderConnector, createOrderAccess, type OtpSender } from '../../src/bot/orders/index.js';
import type { AnswerRequest, ShopperContext } from '../../src/core/answerer.js';
import { type Capabilities, richCapabilities } from '../../src/core/capabilities.js';
import { type Clock, type Localize, silentLogger } from '../../src/core/ports.js';

export const KB_DIR = fileURLToPath(new URL('../../config/knowledge', import.meta.url));
export const ORDERS_FILE = fileURLToPath(new URL('../../config/orders/sample.json', import.meta.url));

function localize(strings: Record<string, string>): Localize {
  return (key, vars = {}) => {
    const template = strings[key.replace(/^bot\./, '')];
    if (template === undefined) throw new Error(`missing locale key ${key}`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name]));
  };
}

/** The real English strings, `bot.<key>` with `{{var}}`. */
export const t: Localize = localize(en as Record<string, string>);

/** The real `bot` strings of a language the shop serves. */
function tFor(language: string): Localize {
  if (language === 'en') return t;
  return localize(JSON.parse(readFileSync(new URL(`../../locales/${language}/bot.json`, import.meta.url), 'utf8')) as Record<string, string>);
}

/** A channel that cannot edit messages and shows plain text (SMS-like). */
export const plainCapabilities: Capabilities = { ...richCapabilities, markup: 'plain', edit: false, maxTextLength: 1000 };

export function request(
  conversationId: string,
  text: string,
  extra: { shopper?: ShopperContext; capabilities?: Capabilities; language?: string } = {},
): AnswerRequest {
  const language = extra.language ?? 'en';
  return {
    conversationId,
    text,
    language,
    t: tFor(language),
    capabilities: extra.capabilities ?? richCapabilities,
    ...(extra.shopper ? { shopper: async () => extra.shopper } : {}),
  };
}

/** A clock tests can move. */
export function manualClock(start = Date.parse('2026-11-24T10:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** Records codes instead of mailing them. */
export function recordingSender(): OtpSender & { sent: { to: string; code: string; orderId: string }[] } {
  const sent: { to: string; code: string; orderId: string }[] = [];
  return { sent, send: async (m) => void sent.push(m) };
}

let kbPromise: Promise<KnowledgeBase> | undefined;
export function loadKb(): Promise<KnowledgeBase> {
  kbPromise ??= KnowledgeBase.load(KB_DIR);
  return kbPromise;
}

/** Options of {@link buildAnswerer}. */
export interface BuildOptions {
  baseURL: string;
  kb?: KnowledgeBase;
  settings?: Partial<LlmSettings>;
  timeoutMs?: number;
  sender?: OtpSender;
  clock?: Clock;
  orders?: boolean;
}

/** The LLM answerer over the local model server, with the sample orders and the real KB. */
export async function buildAnswerer(options: BuildOptions): Promise<LlmAnswerer> {
  const kb = options.kb ?? (await loadKb());
  const clock = options.clock ?? manualClock();
  const access =
    options.orders === false
      ? undefined
      : createOrderAccess({ orders: await createFileOrderConnector(ORDERS_FILE), sender: options.sender ?? recordingSender(), clock, defaultCountry: 'NL' });
  return createLlmAnswerer({
    model: createOpenAiModel({ baseURL: options.baseURL, apiKey: 'sk-test', model: 'test-model', timeoutMs: options.timeoutMs ?? 2000 }),
    kb,
    fallback: createKnowledgeAnswerer(kb),
    ...(access ? { access } : {}),
    shopName: 'Pawsome Supplies',
    settings: {
      temperature: 0,
      maxTokens: 400,
      budget: { tokensPerConversation: 0, tokensPerDay: 0 },
      retryBackoffMs: 10,
      defaultCountry: 'NL',
      shopDomains: ['pawsome-supplies.example'],
      ...options.settings,
    },
    clock,
    log: silentLogger,
  });
}

/** Everything the shopper would read: text parts and button labels. */
export function shown(answer: { parts: { kind: string; text?: string; choices?: { label: string }[] }[] }): string {
  return answer.parts.map((p) => (p.kind === 'text' ? p.text : (p.choices ?? []).map((c) => c.label).join(' '))).join('\n');
}
