/**
 * Order help without a model: "where is my order?", "cancel my order", "return order PS-100234",
 * "change the address", "I need the invoice", in the shopper's language. Recognises the intent
 * (example phrases in ./intents/<language>/, searched like the knowledge base) and the order
 * number, asks for what is missing, verifies the shopper through {@link OrderAccessControl}
 * (the same path the model's tools take) and answers from the order and the knowledge base.
 * The flow's state (waiting for a number, for a code) is kept per conversation in the store,
 * expires after half an hour, and a question on another topic leaves it.
 */
import { fileURLToPath } from 'node:url';
import type { Answer, Answerer, AnswerRequest } from '../../core/answerer.js';
import type { Part } from '../../core/message.js';
import { isParleyError } from '../../core/errors.js';
import type { Clock, Logger } from '../../core/ports.js';
import { HANDOFF_PAYLOAD } from '../../core/translate-parts.js';
import { retrieve, sectionParts } from '../kb-answerer.js';
import { KnowledgeBase } from '../knowledge/index.js';
import { findCode, findOrderNumbers } from './numbers.js';
import { type OrderIntent, replyFor } from './replies.js';
import { OrderLookupError } from './types.js';
import type { AccessState, OrderAccessControl } from './verification.js';

const INTENTS_DIR = fileURLToPath(new URL('./intents', import.meta.url));
const FLOW_TTL_MS = 30 * 60_000;
const INTENT_CONFIDENCE = 0.55;

/** Where a conversation is in the order flow. */
interface Flow {
  awaiting: 'number' | 'code';
  intent: OrderIntent;
  orderId?: string;
  /** The shopper's question, to find the policy it is about once the code or the number comes. */
  question?: string;
}

/** What {@link createOrderHelp} needs. */
export interface OrderHelpDeps {
  access: OrderAccessControl;
  /** The shop's knowledge base (policies cited beside an order's answer). */
  kb(): KnowledgeBase;
  state: AccessState;
  clock: Clock;
  log: Logger;
  minConfidence: number;
}

/**
 * Wraps a responder: order questions get the order flow, everything else goes to `next`.
 *
 * @example
 * ```ts
 * const help = await createOrderHelp({ access, kb: () => kb, state, clock, log, minConfidence: 0.55 });
 * const answerer = help.around(createKnowledgeAnswerer(kb));
 * ```
 */
export async function createOrderHelp(deps: OrderHelpDeps) {
  const help: OrderHelp = { ...deps, intents: await KnowledgeBase.load(INTENTS_DIR, { workingLanguage: 'en', stopWords: false }) };
  return {
    /** A responder that runs the order flow first and `next` for everything else. */
    around(next: Answerer): Answerer {
      return {
        async answer(request) {
          return (await orderAnswer(help, request)) ?? next.answer(request);
        },
      };
    },
  };
}

/** What the order flow runs on: the deps and the intents' example phrases. */
interface OrderHelp extends OrderHelpDeps {
  intents: KnowledgeBase;
}

/** The order flow's answer to this turn, or undefined when it is not about an order. */
async function orderAnswer(help: OrderHelp, request: AnswerRequest): Promise<Answer | undefined> {
  if (request.payload) return undefined;
  const flow = await flowOf(help, request.conversationId);
  // A code is checked whenever one is pending, even after the shopper asked something else.
  const code = (await help.access.pendingOrder(request.conversationId)) ? findCode(request.text) : undefined;
  if (code) return checkCode(help, request, flow, code);
  const intent = intentOf(help.intents, request);
  const [orderId] = findOrderNumbers(request.text, { bare: Boolean(intent) || flow?.awaiting === 'number' });
  if (orderId) return lookup(help, request, intent ?? flow?.intent ?? 'status', orderId, intent ? request.text : (flow?.question ?? request.text));
  if (!intent) {
    // Anything else leaves the flow: the shopper moved on.
    if (flow) await setFlow(help, request.conversationId, undefined);
    return undefined;
  }
  await setFlow(help, request.conversationId, { awaiting: 'number', intent, question: request.text });
  const general = intent === 'status' ? [] : policy(help, request, request.text);
  const ask: Part = { kind: 'text', text: request.t(`orders.ask_number.${intent}`) };
  return { parts: [...general, ask], confidence: 1, sources: [] };
}

const flowKey = (conversationId: string) => `orders:flow:${conversationId}`;

async function flowOf(help: OrderHelp, conversationId: string): Promise<Flow | undefined> {
  const raw = await help.state.get(flowKey(conversationId));
  return raw ? (JSON.parse(raw) as Flow) : undefined;
}

function setFlow(help: OrderHelp, conversationId: string, flow: Flow | undefined): Promise<void> {
  const now = help.clock.now();
  return help.state.set(flowKey(conversationId), flow ? JSON.stringify(flow) : '', flow ? now + FLOW_TTL_MS : now);
}

function intentOf(intents: KnowledgeBase, request: AnswerRequest): OrderIntent | undefined {
  const [best] = intents.search(request.text, request.language, 1);
  const fallback = best && best.confidence >= INTENT_CONFIDENCE ? undefined : request.working ? intents.search(request.working.text, 'en', 1)[0] : undefined;
  const found = fallback && fallback.confidence > (best?.confidence ?? 0) ? fallback : best;
  // "general": a shop question that only looks like one about an order ("how do I return an item?").
  if (!found || found.confidence < INTENT_CONFIDENCE || !found.section.id.startsWith('order.')) return undefined;
  return found.section.id.slice('order.'.length) as OrderIntent;
}

/** The knowledge-base article the shopper's own words find, as parts, when one is sure enough. */
function policy(help: OrderHelp, request: AnswerRequest, question: string): Part[] {
  const asked = question === request.text ? request : { text: question, language: request.language };
  const [best] = retrieve(help.kb(), asked);
  return best && best.confidence >= help.minConfidence ? sectionParts(best.section, request) : [];
}

async function lookup(help: OrderHelp, request: AnswerRequest, intent: OrderIntent, orderId: string, question = request.text): Promise<Answer> {
  const t = request.t;
  try {
    const access = await help.access.lookup(request.conversationId, orderId, await request.shopper?.(), request.language);
    if (access.kind === 'not_available') {
      await setFlow(help, request.conversationId, undefined);
      return personAnswer([{ kind: 'text', text: t('orders.not_found', { orderId }) }], t);
    }
    if (access.kind === 'verification_required') {
      await setFlow(help, request.conversationId, { awaiting: 'code', intent, orderId: access.orderId, question });
      const key = access.codeSent ? 'orders.code_sent' : access.limited ? 'orders.code_limit' : 'orders.code_pending';
      return { parts: [{ kind: 'text', text: t(key, { email: access.maskedEmail }) }], confidence: 1, sources: [] };
    }
    await setFlow(help, request.conversationId, undefined);
    return replyFor(intent, access.order, request, policy(help, request, question));
  } catch (err) {
    // The code could not be mailed (no mailer, SMTP down): the order stays undisclosed.
    if (isParleyError(err, 'MAIL_FAILED')) {
      help.log.warn({ code: err.code }, 'one-time code not sent');
      await setFlow(help, request.conversationId, undefined);
      return personAnswer([{ kind: 'text', text: t('orders.no_code') }], t);
    }
    if (!(err instanceof OrderLookupError)) throw err;
    help.log.warn({ code: err.code, status: err.status }, 'order lookup failed');
    return personAnswer([{ kind: 'text', text: t('orders.unreachable') }], t);
  }
}

async function checkCode(help: OrderHelp, request: AnswerRequest, flow: Flow | undefined, code: string): Promise<Answer> {
  const t = request.t;
  const check = await help.access.checkCode(request.conversationId, code);
  if (check.kind === 'verified') return lookup(help, request, flow?.intent ?? 'status', check.orderId, flow?.question);
  if (check.kind === 'wrong_code' && check.attemptsLeft > 0) return text(t('orders.code_wrong', { count: check.attemptsLeft }));
  await setFlow(help, request.conversationId, undefined);
  return text(t(check.kind === 'wrong_code' ? 'orders.code_wrong_last' : 'orders.code_expired'));
}

function text(value: string): Answer {
  return { parts: [{ kind: 'text', text: value }], confidence: 1, sources: [] };
}

function personAnswer(parts: Part[], t: AnswerRequest['t']): Answer {
  return { parts: [...parts, { kind: 'choices', choices: [{ label: t('bot.talk_to_person'), payload: HANDOFF_PAYLOAD }] }], confidence: 1, sources: [] };
}
