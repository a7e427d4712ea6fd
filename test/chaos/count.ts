/**
 * The tally of a chaos run: per platform, messages lost, answers out of order and duplicate
 * sends (each either with a kill between its two receipts — the send was in flight when its
 * instance died — or without); for web chat, answers the shopper saw late.
 */
import type { Platform, Sent } from './peers.js';
import { answerNumber, type Seen } from './traffic.js';

/** Where a reply may be seen at the latest: live, or by the sync after a reconnect. */
const LIVE_MS = 2000;

/** One channel's figures. */
export interface Tally {
  chats: number;
  messages: number;
  answers: number;
  lost: number;
  outOfOrder: number;
  /** Same answer sent twice with a kill between the two receipts. */
  duplicatesAtKill: number;
  /** Same answer sent twice with no kill between: no crash explains it. */
  duplicatesWithoutKill: number;
  /** Sends that carry no numbered answer (an apology, a handoff notice). */
  other: number;
  late: number;
}

export const emptyTally = (): Tally => ({
  chats: 0,
  messages: 0,
  answers: 0,
  lost: 0,
  outOfOrder: 0,
  duplicatesAtKill: 0,
  duplicatesWithoutKill: 0,
  other: 0,
  late: 0,
});

/** Answers of one chat, in the order they arrived, against the `count` messages sent. */
export function tallyChat(tally: Tally, count: number, arrivals: { n: number | undefined; at: number }[], kills: readonly number[]): string[] {
  const problems: string[] = [];
  tally.chats += 1;
  tally.messages += count;
  const first = new Map<number, number>();
  let highest = 0;
  for (const { n, at } of arrivals) {
    if (n === undefined) {
      tally.other += 1;
      continue;
    }
    const earlier = first.get(n);
    if (earlier !== undefined) {
      const killBetween = kills.some((k) => k >= earlier - 50 && k <= at);
      if (killBetween) tally.duplicatesAtKill += 1;
      else tally.duplicatesWithoutKill += 1;
      problems.push(`answer ${n} again after ${at - earlier} ms${killBetween ? ' (kill between)' : ''}`);
      continue;
    }
    first.set(n, at);
    tally.answers += 1;
    if (n < highest) {
      tally.outOfOrder += 1;
      problems.push(`answer ${n} after answer ${highest}`);
    }
    highest = Math.max(highest, n);
  }
  for (let n = 1; n <= count; n++) {
    if (first.has(n)) continue;
    tally.lost += 1;
    problems.push(`message ${n} never answered`);
  }
  return problems;
}

/** Platform sends of one chat as arrivals. */
export function arrivalsOf(sent: readonly Sent[], platform: Platform, chat: string): { n: number | undefined; at: number }[] {
  return sent.filter((s) => s.platform === platform && s.chat === chat).map((s) => ({ n: answerNumber(s.text), at: s.at }));
}

/** A web chat answer as stored: its text, and when the gateway delivered it (pushed it to sockets). */
export interface StoredReply {
  id: string;
  text: string;
  deliveredAt: number;
}

/**
 * Late: never seen on the socket, or seen more than {@link LIVE_MS} after it was delivered and
 * after the reconnect whose sync should have brought it.
 */
export function lateReplies(replies: readonly StoredReply[], seen: ReadonlyMap<string, Seen>, syncs: readonly number[]): string[] {
  const late: string[] = [];
  for (const reply of replies) {
    const saw = seen.get(reply.id);
    if (!saw) {
      late.push(`${reply.id} never seen`);
      continue;
    }
    const reconnect = Math.max(0, ...syncs.filter((s) => s <= saw.at));
    const due = Math.max(reply.deliveredAt, reconnect) + LIVE_MS;
    if (saw.at > due) late.push(`${reply.id} seen ${saw.how} ${saw.at - due + LIVE_MS} ms after it was due`);
  }
  return late;
}

/** The summary table and the last line. */
export function report(tallies: Record<string, Tally>, extra: string[]): string {
  const cols: (keyof Tally)[] = ['chats', 'messages', 'answers', 'lost', 'outOfOrder', 'duplicatesAtKill', 'duplicatesWithoutKill', 'other', 'late'];
  const rows = [['channel', ...cols], ...Object.entries(tallies).map(([name, t]) => [name, ...cols.map((c) => String(t[c]))])];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const table = rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  '));
  const sum = (k: keyof Tally) => Object.values(tallies).reduce((a, t) => a + t[k], 0);
  const dup = (name: string) => {
    const t = tallies[name];
    return t ? t.duplicatesAtKill + t.duplicatesWithoutKill : 0;
  };
  const last =
    `chaos: lost ${sum('lost')}, out of order ${sum('outOfOrder')}, webchat late ${tallies.webchat?.late ?? 0}, ` +
    `duplicates telegram ${dup('telegram')} whatsapp ${dup('whatsapp')} line ${dup('line')} (in flight at a kill; ${sum('duplicatesWithoutKill')} without a kill)`;
  return [...table, ...extra, last].join('\n');
}
