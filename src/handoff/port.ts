/**
 * The pipeline's side of the handoff ({@link HandoffPort}): triggers before and after the bot
 * answers, the notice a queued shopper reads (business hours), and shopper turns while a
 * person owns the conversation (cancel, rating, comment).
 */
import type { HandoffPort, HandoffTurn } from '../core/pipeline.js';
import type { Part } from '../core/message.js';
import type { Localize } from '../core/ports.js';
import type { Conversation, Store } from '../core/store.js';
import { formatOpening, isOpen, nextOpening } from './hours.js';
import { CANCEL_PAYLOAD, closedNotice, queuedNotice, ratingOf, text } from './notices.js';
import { chooseTeam } from './routing.js';
import type { HandoffRecord, HandoffStore, Team } from './store.js';
import { emotionSignals, evaluateTriggers, isCancel, lowConfidence, orderNumbers, upsetScore } from './triggers.js';
import type { HandoffSettings } from './config.js';
import { unsureQuestion } from '../reports/question.js';

/** What the pipeline-side handoff needs. */
export interface HandoffPortDeps {
  store: Store;
  handoffs: HandoffStore;
  settings: HandoffSettings;
  /** The knowledge base's answer threshold: below it an answer counts as unsure. */
  minConfidence: number;
  teams(): readonly Team[];
  localize(language: string | undefined): Localize;
  now(): number;
  /** An order's total, when an orders connector is configured (order-value rule). */
  orderTotal?(orderId: string): Promise<number | undefined>;
}

/**
 * Builds the {@link HandoffPort} the pipeline calls.
 *
 * @example
 * ```ts
 * const pipeline = createPipeline({ ...deps, handoff: createHandoffPort(portDeps) });
 * ```
 */
export function createHandoffPort(deps: HandoffPortDeps): HandoffPort {
  // The record `before` read, for `after` in the same turn (the turn's conversation object is
  // its key): one read per turn. Only turns write `lowStreak`, and a conversation runs one
  // turn at a time, so it cannot have changed in between.
  const read = new WeakMap<Conversation, HandoffRecord>();
  return {
    check: (turn) => (turn.stage === 'before' ? before(deps, turn, read) : after(deps, turn, turn.confidence, read.get(turn.conversation))),
    queued: (turn, reason) => queued(deps, turn, reason),
    humanTurn: (turn) => humanTurn(deps, turn),
  };
}

type HumanReply = Awaited<ReturnType<NonNullable<HandoffPort['humanTurn']>>>;

/** Before the bot answers: the operator's rules, VIPs, order values and the shopper's mood. */
async function before(deps: HandoffPortDeps, turn: HandoffTurn, read: WeakMap<Conversation, HandoffRecord>): Promise<{ reason: string } | undefined> {
  const { handoffs, settings } = deps;
  const conv = turn.conversation;
  const record = await handoffs.getHandoff(conv.id);
  read.set(conv, record);
  // Who the shopper is only matters to VIP rules: without any, no lookups on every turn.
  const rules = settings.rules;
  const [identities, customerRef, orderTotals] = await Promise.all([
    rules.vipIdentities.length ? deps.store.identitiesOf(conv.shopperId) : [],
    rules.vipCustomerRefs.length ? handoffs.customerRefOf(conv.shopperId) : undefined,
    totals(deps, turn.text),
  ]);
  // Read once: both the triggers and the shopper's upset window use them.
  const emotion = emotionSignals(turn.text);
  const found = evaluateTriggers(
    {
      text: turn.text,
      workingText: turn.workingText,
      recentUpset: record.upset,
      identities: identities.map((i) => `${i.channelId}:${i.platformUserId}`),
      ...(customerRef ? { customerRef } : {}),
      orderTotals,
      emotion,
    },
    settings.rules,
    settings.detectEmotion,
  );
  const upset = [...record.upset, upsetScore(emotion)].slice(-5);
  // A calm shopper's window of scores often stays the same ([0, 0, 0, 0, 0]): nothing to write.
  if (upset.join() !== record.upset.join()) await handoffs.patchHandoff(conv.id, { upset }, deps.now());
  return found;
}

async function totals(deps: HandoffPortDeps, message: string): Promise<number[]> {
  if (deps.settings.rules.orderValueAbove === undefined || !deps.orderTotal) return [];
  const values = await Promise.all(
    orderNumbers(message)
      .slice(0, 3)
      .map((id) => deps.orderTotal?.(id).catch(() => undefined)),
  );
  return values.filter((v): v is number => typeof v === 'number');
}

/**
 * After the bot answered: a streak of unsure answers hands off. Each unsure answer is recorded
 * with its question: the "unanswered" report is the knowledge base's to-do list.
 */
async function after(deps: HandoffPortDeps, turn: HandoffTurn, confidence: number, known?: HandoffRecord): Promise<{ reason: string } | undefined> {
  const conversationId = turn.conversation.id;
  const record = known ?? (await deps.handoffs.getHandoff(conversationId));
  const result = lowConfidence(record.lowStreak, confidence, deps.minConfidence, deps.settings.lowConfidenceStreak);
  const lowStreak = result.handoff ? 0 : result.streak;
  if (confidence < deps.minConfidence && turn.text.trim()) {
    await deps.handoffs.addReportEvent({ conversationId, kind: 'unsure', ...unsureQuestion(turn.text, turn.workingText), at: deps.now() });
  }
  if (lowStreak !== record.lowStreak) await deps.handoffs.patchHandoff(conversationId, { lowStreak }, deps.now());
  return result.handoff ? { reason: 'low_confidence' } : undefined;
}

/** Records why the conversation is queued, and what the shopper is told (the team's hours decide). */
async function queued(deps: HandoffPortDeps, turn: HandoffTurn, reason: string): Promise<Part[]> {
  const now = deps.now();
  const teams = deps.teams();
  const teamId = chooseTeam(teams, turn.language);
  await deps.handoffs.patchHandoff(
    turn.conversation.id,
    { reason, teamId: teamId ?? null, queuedAt: now, agentId: null, timeoutNotified: false, waitingAcked: false, lowStreak: 0 },
    now,
  );
  await deps.handoffs.addReportEvent({ conversationId: turn.conversation.id, kind: 'handoff', reason, ...(teamId ? { teamId } : {}), at: now });
  const t = deps.localize(turn.language);
  const team = teams.find((x) => x.id === teamId);
  if (!team || isOpen(team, now)) return queuedNotice(t);
  const opens = nextOpening(team, now);
  return opens === undefined ? queuedNotice(t) : closedNotice(t, formatOpening(opens, turn.language, team.timezone));
}

async function humanTurn(deps: HandoffPortDeps, turn: HandoffTurn): Promise<HumanReply> {
  const conv = turn.conversation;
  const t = deps.localize(turn.language);
  const now = deps.now();
  if (conv.state === 'awaiting_agent' && (turn.payload === CANCEL_PAYLOAD || (!turn.payload && isCancel(turn.text)))) {
    await deps.handoffs.patchHandoff(conv.id, { queuedAt: null, agentId: null, timeoutNotified: false }, now);
    return { parts: text(t('handoff.cancelled')), state: 'bot' };
  }
  if (conv.state === 'awaiting_agent' || conv.state === 'assigned') return acknowledge(deps.handoffs, conv.id, t, now);
  if (conv.state === 'resolved') return { bot: true };
  if (conv.state !== 'feedback') return undefined;
  return feedback(deps.handoffs, turn, t, now);
}

/** The first message of a wait gets "a person will reply here, keep writing"; the rest are only stored. */
async function acknowledge(handoffs: HandoffStore, conversationId: string, t: Localize, now: number): Promise<HumanReply> {
  const record = await handoffs.getHandoff(conversationId);
  if (record.waitingAcked) return undefined;
  await handoffs.patchHandoff(conversationId, { waitingAcked: true }, now);
  return { parts: text(t('handoff.waiting_ack')) };
}

/** A turn after the agent finished: a rating, then an optional comment. */
async function feedback(handoffs: HandoffStore, turn: HandoffTurn, t: Localize, now: number): Promise<HumanReply> {
  const conv = turn.conversation;
  const record = await handoffs.getHandoff(conv.id);
  const rating = ratingOf(turn.payload);
  if (rating) {
    const ratingId = await handoffs.addRating({ conversationId: conv.id, ...(record.agentId ? { agentId: record.agentId } : {}), rating, createdAt: now });
    await handoffs.patchHandoff(conv.id, { ratingId }, now);
    return { parts: text(t('handoff.rate_thanks')), state: 'feedback' };
  }
  if (record.ratingId !== undefined && !turn.payload && turn.text.trim()) {
    await handoffs.commentRating(record.ratingId, turn.text.trim().slice(0, 2000));
    await handoffs.patchHandoff(conv.id, { ratingId: null }, now);
    return { parts: text(t('handoff.comment_thanks')), state: 'bot' };
  }
  // Anything else (a new question, another button): the bot is back.
  await handoffs.patchHandoff(conv.id, { ratingId: null }, now);
  return { bot: true };
}
