/**
 * The handoff's and console's tables (migration 4) on the same SQL connection as the rest of
 * the store: agents, teams, console sessions, per-conversation handoff bookkeeping, notes,
 * message authors, ratings and knowledge-base proposals.
 */
import type { SqlDriver, SqlValue } from '../store/driver.js';
import { compact, optionalNumber, optionalString } from '../store/rows.js';
import type { BusinessHours } from './hours.js';

type AgentRole = 'agent' | 'admin';

/** A console user. The password hash never leaves the store layer's callers. */
export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  /** The agent's working language in the console (messages are shown in it), e.g. `zh-CN`. */
  language: string;
  /** Every language the agent can serve shoppers in; routing prefers these. */
  languages: string[];
  skills: string[];
  teamId?: string;
  capacity: number;
  disabled: boolean;
  createdAt: number;
}

/** A team: who serves which languages and skills, and when. */
export interface Team extends BusinessHours {
  id: string;
  name: string;
  languages: string[];
  skills: string[];
}

/** Per-conversation handoff bookkeeping (the state itself lives on the conversation). */
export interface HandoffRecord {
  conversationId: string;
  reason?: string;
  teamId?: string;
  agentId?: string;
  queuedAt?: number;
  assignedAt?: number;
  timeoutNotified: boolean;
  /**
   * The shopper was told, once in this wait, that a person will reply and they can keep
   * writing. A wait starts when the conversation is queued and ends when a person replies.
   */
  waitingAcked: boolean;
  /** Unsure bot answers in a row. */
  lowStreak: number;
  /** Upset scores of the shopper's last messages, newest last. */
  upset: number[];
  /** The rating waiting for an optional comment. */
  ratingId?: number;
}

export type HandoffPatch = { [K in keyof Omit<HandoffRecord, 'conversationId'>]?: HandoffRecord[K] | null };

export interface Note {
  id: string;
  conversationId: string;
  agentId: string;
  text: string;
  createdAt: number;
}

export interface Rating {
  id: number;
  conversationId: string;
  agentId?: string;
  rating: number;
  comment?: string;
  createdAt: number;
}

export interface KbProposal {
  id: string;
  conversationId?: string;
  messageId?: string;
  agentId: string;
  question: string;
  wrongAnswer?: string;
  /** Title of the section that gave the wrong answer, when known. */
  section?: string;
  title: string;
  body: string;
  status: 'open' | 'applied' | 'rejected';
  reviewerId?: string;
  createdAt: number;
  reviewedAt?: number;
}

/** A fact for the reports (docs/reports.md). */
export interface ReportEvent {
  conversationId: string;
  kind: 'handoff' | 'answered' | 'resolved' | 'unsure';
  reason?: string;
  teamId?: string;
  agentId?: string;
  /** `unsure`: the question in the working language, normalised (the group it is counted in). */
  question?: string;
  /** `unsure`: the question as the shopper asked it (the group's example). */
  example?: string;
  at: number;
}

type Row = Record<string, unknown>;

/**
 * The one spelling of an e-mail address that agents are stored, found and counted under:
 * compatibility forms folded (NFKC: full-width `ｌｅａｄ` is `lead`), spaces trimmed, lower case.
 *
 * @example
 * ```ts
 * normalizeEmail(' Lead@Shop.Test '); // 'lead@shop.test'
 * ```
 */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** A console session as stored: its agent, CSRF secret, and when it ends. */
export interface StoredSession {
  agentId: string;
  csrf: string;
  expiresAt: number;
  lastSeenAt: number;
}

function toAgent(r: Row): Agent {
  const a: Agent = {
    id: String(r.id),
    email: String(r.email),
    name: String(r.name),
    role: r.role === 'admin' ? 'admin' : 'agent',
    language: String(r.language),
    languages: JSON.parse(String(r.languages_json)),
    skills: JSON.parse(String(r.skills_json)),
    capacity: Number(r.capacity),
    disabled: Number(r.disabled) === 1,
    createdAt: Number(r.created_at),
  };
  if (r.team_id) a.teamId = String(r.team_id);
  return a;
}

const HANDOFF_COLUMNS: Readonly<Record<keyof HandoffPatch, string>> = {
  reason: 'reason',
  teamId: 'team_id',
  agentId: 'agent_id',
  queuedAt: 'queued_at',
  assignedAt: 'assigned_at',
  timeoutNotified: 'timeout_notified',
  waitingAcked: 'waiting_acked',
  lowStreak: 'low_streak',
  upset: 'upset_json',
  ratingId: 'rating_id',
};

/** A patched field as stored; `null` clears it (flags and counters back to 0). */
function handoffValue(field: keyof HandoffPatch, value: unknown): SqlValue {
  if (field === 'timeoutNotified' || field === 'waitingAcked') return value ? 1 : 0;
  if (field === 'lowStreak') return Number(value ?? 0);
  if (field === 'upset') return JSON.stringify(((value ?? []) as number[]).slice(-5));
  return (value ?? null) as SqlValue;
}

function toHandoff(r: Row): HandoffRecord {
  const h: HandoffRecord = {
    conversationId: String(r.conversation_id),
    timeoutNotified: Number(r.timeout_notified) === 1,
    waitingAcked: Number(r.waiting_acked) === 1,
    lowStreak: Number(r.low_streak ?? 0),
    upset: r.upset_json ? JSON.parse(String(r.upset_json)) : [],
  };
  const opt = {
    reason: optionalString(r.reason),
    teamId: optionalString(r.team_id),
    agentId: optionalString(r.agent_id),
    queuedAt: optionalNumber(r.queued_at),
    assignedAt: optionalNumber(r.assigned_at),
    ratingId: optionalNumber(r.rating_id),
  };
  return { ...h, ...compact(opt) };
}

function toProposal(r: Row): KbProposal {
  const p: KbProposal = {
    id: String(r.id),
    agentId: String(r.agent_id),
    question: String(r.question),
    title: String(r.title),
    body: String(r.body),
    status: String(r.status) as KbProposal['status'],
    createdAt: Number(r.created_at),
  };
  const opt = {
    conversationId: optionalString(r.conversation_id),
    messageId: optionalString(r.message_id),
    wrongAnswer: optionalString(r.wrong_answer),
    section: optionalString(r.section),
    reviewerId: optionalString(r.reviewer_id),
    reviewedAt: optionalNumber(r.reviewed_at),
  };
  return { ...p, ...compact(opt) };
}

/** The handoff tables. */
export class HandoffStore {
  constructor(private readonly db: SqlDriver) {}

  // ---- agents
  async countAgents(): Promise<number> {
    return Number((await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM agents'))?.n ?? 0);
  }

  async createAgent(a: Omit<Agent, 'createdAt' | 'disabled'> & { passwordHash: string }, now: number): Promise<Agent> {
    await this.db.run(
      `INSERT INTO agents (id, email, name, role, password_hash, language, languages_json, skills_json, team_id, capacity, disabled, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
      [
        a.id,
        normalizeEmail(a.email),
        a.name,
        a.role,
        a.passwordHash,
        a.language,
        JSON.stringify(a.languages),
        JSON.stringify(a.skills),
        a.teamId ?? null,
        a.capacity,
        now,
        now,
      ],
    );
    return (await this.getAgent(a.id)) as Agent;
  }

  async getAgent(id: string): Promise<Agent | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM agents WHERE id = ?', [id]);
    return r && toAgent(r);
  }

  /** The agent and their password hash, for signing in. */
  async credentials(email: string): Promise<{ agent: Agent; passwordHash: string } | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM agents WHERE email = ?', [normalizeEmail(email)]);
    return r && { agent: toAgent(r), passwordHash: String(r.password_hash) };
  }

  async listAgents(): Promise<Agent[]> {
    return (await this.db.all<Row>('SELECT * FROM agents ORDER BY created_at, id')).map(toAgent);
  }

  async updateAgent(
    id: string,
    patch: Partial<Omit<Agent, 'id' | 'createdAt' | 'teamId'>> & { teamId?: string | null; passwordHash?: string },
    now: number,
  ): Promise<Agent | undefined> {
    const cols: Record<string, SqlValue | undefined> = {
      email: patch.email === undefined ? undefined : normalizeEmail(patch.email),
      name: patch.name,
      role: patch.role,
      language: patch.language,
      languages_json: patch.languages && JSON.stringify(patch.languages),
      skills_json: patch.skills && JSON.stringify(patch.skills),
      team_id: patch.teamId,
      capacity: patch.capacity,
      disabled: patch.disabled === undefined ? undefined : patch.disabled ? 1 : 0,
      password_hash: patch.passwordHash,
    };
    const set = Object.entries(cols).filter(([, v]) => v !== undefined);
    await this.db.run(`UPDATE agents SET ${[...set.map(([k]) => `${k} = ?`), 'updated_at = ?'].join(', ')} WHERE id = ?`, [
      ...set.map(([, v]) => v ?? null),
      now,
      id,
    ]);
    if (patch.disabled) await this.db.run('DELETE FROM console_sessions WHERE agent_id = ?', [id]);
    return this.getAgent(id);
  }

  // ---- teams
  async listTeams(): Promise<Team[]> {
    const rows = await this.db.all<Row>('SELECT * FROM teams ORDER BY id');
    return rows.map((r) => ({ ...JSON.parse(String(r.settings_json)), id: String(r.id), name: String(r.name) }));
  }

  async saveTeam(team: Team, now: number, onlyIfMissing = false): Promise<void> {
    const { id, name, ...settings } = team;
    await this.db.run(
      `INSERT INTO teams (id, name, settings_json, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO ${onlyIfMissing ? 'NOTHING' : 'UPDATE SET name = excluded.name, settings_json = excluded.settings_json, updated_at = excluded.updated_at'}`,
      [id, name, JSON.stringify(settings), now],
    );
  }

  // ---- sessions
  async createSession(id: string, agentId: string, csrf: string, expiresAt: number, now: number): Promise<void> {
    await this.db.run('DELETE FROM console_sessions WHERE expires_at < ?', [now]);
    await this.db.run('INSERT INTO console_sessions (id, agent_id, csrf, expires_at, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)', [
      id,
      agentId,
      csrf,
      expiresAt,
      now,
      now,
    ]);
  }

  /** The session, unless it has ended (`expires_at`) or was last used before `idleSince`. */
  async getSession(id: string, now: number, idleSince: number): Promise<StoredSession | undefined> {
    const r = await this.db.get<Row>(
      `SELECT agent_id, csrf, expires_at, COALESCE(last_seen_at, created_at) AS last_seen_at FROM console_sessions
       WHERE id = ? AND expires_at > ? AND COALESCE(last_seen_at, created_at) > ?`,
      [id, now, idleSince],
    );
    return r && { agentId: String(r.agent_id), csrf: String(r.csrf), expiresAt: Number(r.expires_at), lastSeenAt: Number(r.last_seen_at) };
  }

  /** Marks the session used at `now` (it stays open another idle period). */
  async touchSession(id: string, now: number): Promise<void> {
    await this.db.run('UPDATE console_sessions SET last_seen_at = ? WHERE id = ?', [now, id]);
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM console_sessions WHERE id = ?', [id]);
  }

  // ---- sign-in attempts
  /**
   * Counts one sign-in attempt for `subject` (an account or a client) and returns the attempts in
   * its current window, this one included, and when the window ends. One statement: parallel
   * attempts, on any instance, each get their own count, never a stale one.
   */
  async countLoginAttempt(subject: string, windowMs: number, now: number): Promise<{ attempts: number; resetAt: number }> {
    const r = await this.db.get<Row>(
      `INSERT INTO login_attempts (subject, attempts, expires_at) VALUES (?, 1, ?)
       ON CONFLICT (subject) DO UPDATE SET
         attempts = CASE WHEN login_attempts.expires_at <= ? THEN 1 ELSE login_attempts.attempts + 1 END,
         expires_at = CASE WHEN login_attempts.expires_at <= ? THEN excluded.expires_at ELSE login_attempts.expires_at END
       RETURNING attempts, expires_at`,
      [subject, now + windowMs, now, now],
    );
    const attempts = Number(r?.attempts ?? 1);
    // A fresh window: a good moment to forget windows that have passed.
    if (attempts === 1) await this.db.run('DELETE FROM login_attempts WHERE expires_at <= ?', [now]);
    return { attempts, resetAt: Number(r?.expires_at ?? now + windowMs) };
  }

  /** Forgets the attempts of `subject` (after a successful sign-in). */
  async clearLoginAttempts(subject: string): Promise<void> {
    await this.db.run('DELETE FROM login_attempts WHERE subject = ?', [subject]);
  }

  // ---- handoffs
  async getHandoff(conversationId: string): Promise<HandoffRecord> {
    const r = await this.db.get<Row>('SELECT * FROM handoffs WHERE conversation_id = ?', [conversationId]);
    return r ? toHandoff(r) : { conversationId, timeoutNotified: false, waitingAcked: false, lowStreak: 0, upset: [] };
  }

  /**
   * Writes only the patched fields, in one statement: no read-modify-write, so two patches of
   * different fields (a turn's upset score, an agent taking the conversation) never undo
   * each other. `null` clears a field.
   */
  async patchHandoff(conversationId: string, patch: HandoffPatch, now: number): Promise<void> {
    const columns: string[] = [];
    const values: SqlValue[] = [];
    for (const [field, value] of Object.entries(patch)) {
      const column = HANDOFF_COLUMNS[field as keyof HandoffPatch];
      if (value === undefined || !column) continue;
      columns.push(column);
      values.push(handoffValue(field as keyof HandoffPatch, value));
    }
    const updates = [...columns, 'updated_at'].map((c) => `${c} = excluded.${c}`).join(', ');
    await this.db.run(
      `INSERT INTO handoffs (conversation_id, ${[...columns, 'updated_at'].join(', ')}) VALUES (${'?, '.repeat(columns.length + 1)}?)
       ON CONFLICT (conversation_id) DO UPDATE SET ${updates}`,
      [conversationId, ...values, now],
    );
  }

  /**
   * Gives the conversation to `agentId` only if its state and owner are still what the caller
   * read (`seen`); false when anything changed meanwhile. Of two instances giving away the same
   * queued conversation at once, one wins; the other is told false and assigns nothing.
   */
  async claim(conversationId: string, agentId: string, seen: { state: string; agentId?: string }, queuedAt: number, now: number): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await this.db.lockKeys(tx, [`handoff:${conversationId}`]);
      const won = await tx.run(
        `UPDATE conversations SET state = 'assigned', updated_at = ?
         WHERE id = ? AND state = ? AND COALESCE((SELECT h.agent_id FROM handoffs h WHERE h.conversation_id = conversations.id), '') = ?`,
        [now, conversationId, seen.state, seen.agentId ?? ''],
      );
      if (won === 0) return false;
      await tx.run(
        `INSERT INTO handoffs (conversation_id, agent_id, assigned_at, queued_at, rating_id, updated_at) VALUES (?, ?, ?, ?, NULL, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET agent_id = excluded.agent_id, assigned_at = excluded.assigned_at,
           queued_at = excluded.queued_at, rating_id = NULL, updated_at = excluded.updated_at`,
        [conversationId, agentId, now, queuedAt, now],
      );
      return true;
    });
  }

  /** Conversations in a state, with their handoff rows (queue: `awaiting_agent`; work: `assigned`). */
  async handoffsIn(state: 'awaiting_agent' | 'assigned', agentId?: string): Promise<{ conversationId: string; handoff: HandoffRecord }[]> {
    const rows = await this.db.all<Row>(
      `SELECT c.id AS cid, h.* FROM conversations c LEFT JOIN handoffs h ON h.conversation_id = c.id
       WHERE c.state = ? AND (CAST(? AS TEXT) IS NULL OR h.agent_id = ?) ORDER BY COALESCE(h.queued_at, c.updated_at), c.id LIMIT 500`,
      [state, agentId ?? null, agentId ?? null],
    );
    return rows.map((r) => ({
      conversationId: String(r.cid),
      handoff: r.conversation_id ? toHandoff(r) : { conversationId: String(r.cid), timeoutNotified: false, waitingAcked: false, lowStreak: 0, upset: [] },
    }));
  }

  /** Assigned conversations per agent. */
  async activeCounts(): Promise<Map<string, number>> {
    const rows = await this.db.all<{ agent_id: string; n: number }>(
      `SELECT h.agent_id, COUNT(*) AS n FROM handoffs h JOIN conversations c ON c.id = h.conversation_id
       WHERE c.state = 'assigned' AND h.agent_id IS NOT NULL GROUP BY h.agent_id`,
    );
    return new Map(rows.map((r) => [String(r.agent_id), Number(r.n)]));
  }

  /** The shop's customer reference of a shopper (VIP rules). */
  async customerRefOf(shopperId: string): Promise<string | undefined> {
    return optionalString((await this.db.get<Row>('SELECT customer_ref FROM shoppers WHERE id = ?', [shopperId]))?.customer_ref);
  }

  /** The shopper's latest message, for queue previews. */
  async lastShopperText(conversationId: string): Promise<{ text: string; at: number } | undefined> {
    const r = await this.db.get<Row>(
      "SELECT original_text, created_at FROM messages WHERE conversation_id = ? AND role = 'shopper' ORDER BY seq DESC LIMIT 1",
      [conversationId],
    );
    return r ? { text: String(r.original_text ?? ''), at: Number(r.created_at) } : undefined;
  }

  // ---- notes and authors
  async addNote(note: Note): Promise<Note> {
    await this.db.run('INSERT INTO console_notes (id, conversation_id, agent_id, text, created_at) VALUES (?, ?, ?, ?, ?)', [
      note.id,
      note.conversationId,
      note.agentId,
      note.text,
      note.createdAt,
    ]);
    return note;
  }

  async notesOf(conversationId: string): Promise<Note[]> {
    const rows = await this.db.all<Row>('SELECT * FROM console_notes WHERE conversation_id = ? ORDER BY created_at, id', [conversationId]);
    return rows.map((r) => ({
      id: String(r.id),
      conversationId: String(r.conversation_id),
      agentId: String(r.agent_id),
      text: String(r.text),
      createdAt: Number(r.created_at),
    }));
  }

  async setAuthor(messageId: string, agentId: string | undefined, language: string): Promise<void> {
    await this.db.run('INSERT INTO message_authors (message_id, agent_id, language) VALUES (?, ?, ?) ON CONFLICT (message_id) DO NOTHING', [
      messageId,
      agentId ?? null,
      language,
    ]);
  }

  async authorsOf(conversationId: string): Promise<Map<string, { agentId?: string; language: string }>> {
    const rows = await this.db.all<Row>('SELECT a.* FROM message_authors a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ?', [
      conversationId,
    ]);
    return new Map(rows.map((r) => [String(r.message_id), { ...(r.agent_id ? { agentId: String(r.agent_id) } : {}), language: String(r.language) }]));
  }

  // ---- ratings
  async addRating(r: Omit<Rating, 'id'>): Promise<number> {
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO ratings (conversation_id, agent_id, rating, comment, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id',
      [r.conversationId, r.agentId ?? null, r.rating, r.comment ?? null, r.createdAt],
    );
    return Number(row?.id);
  }

  async commentRating(id: number, comment: string): Promise<void> {
    await this.db.run('UPDATE ratings SET comment = ? WHERE id = ?', [comment, id]);
  }

  async listRatings(limit = 200): Promise<Rating[]> {
    const rows = await this.db.all<Row>('SELECT * FROM ratings ORDER BY created_at DESC, id DESC LIMIT ?', [limit]);
    return rows.map((r) => {
      const x: Rating = { id: Number(r.id), conversationId: String(r.conversation_id), rating: Number(r.rating), createdAt: Number(r.created_at) };
      if (r.agent_id) x.agentId = String(r.agent_id);
      if (r.comment) x.comment = String(r.comment);
      return x;
    });
  }

  // ---- report facts (migration 14, src/reports)
  /**
   * Records a fact the reports count: a handoff (with its reason and team), a resolution (by an
   * agent), or an answer the bot was unsure of (with the question, normalised and as asked).
   */
  async addReportEvent(e: ReportEvent): Promise<void> {
    await this.db.run('INSERT INTO report_events (conversation_id, kind, reason, team_id, agent_id, question, example, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      e.conversationId,
      e.kind,
      e.reason ?? null,
      e.teamId ?? null,
      e.agentId ?? null,
      e.question ?? null,
      e.example ?? null,
      e.at,
    ]);
  }

  /**
   * Records an agent's reply as the answer to the conversation's latest handoff, unless that
   * handoff has its answer already: the first reply after each handoff (response-times report).
   */
  async addFirstAnswer(conversationId: string, agentId: string, teamId: string | undefined, at: number): Promise<void> {
    await this.db.run(
      `INSERT INTO report_events (conversation_id, kind, agent_id, team_id, at)
       SELECT ?, 'answered', ?, ?, ? WHERE EXISTS (SELECT 1 FROM report_events h WHERE h.conversation_id = ? AND h.kind = 'handoff')
         AND NOT EXISTS (SELECT 1 FROM report_events a WHERE a.conversation_id = ? AND a.kind = 'answered'
           AND a.at >= (SELECT MAX(h.at) FROM report_events h WHERE h.conversation_id = ? AND h.kind = 'handoff'))`,
      [conversationId, agentId, teamId ?? null, at, conversationId, conversationId, conversationId],
    );
  }

  // ---- knowledge-base proposals
  async addProposal(p: KbProposal): Promise<KbProposal> {
    await this.db.run(
      `INSERT INTO kb_proposals (id, conversation_id, message_id, agent_id, question, wrong_answer, section, title, body, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
      [p.id, p.conversationId ?? null, p.messageId ?? null, p.agentId, p.question, p.wrongAnswer ?? null, p.section ?? null, p.title, p.body, p.createdAt],
    );
    return p;
  }

  async getProposal(id: string): Promise<KbProposal | undefined> {
    const r = await this.db.get<Row>('SELECT * FROM kb_proposals WHERE id = ?', [id]);
    return r && toProposal(r);
  }

  async listProposals(status?: KbProposal['status']): Promise<KbProposal[]> {
    const rows = await this.db.all<Row>('SELECT * FROM kb_proposals WHERE (CAST(? AS TEXT) IS NULL OR status = ?) ORDER BY created_at DESC LIMIT 200', [
      status ?? null,
      status ?? null,
    ]);
    return rows.map(toProposal);
  }

  async reviewProposal(id: string, status: 'applied' | 'rejected', reviewerId: string, now: number, edits?: { title?: string; body?: string }): Promise<void> {
    await this.db.run(
      `UPDATE kb_proposals SET status = ?, reviewer_id = ?, reviewed_at = ?, title = COALESCE(?, title), body = COALESCE(?, body) WHERE id = ?`,
      [status, reviewerId, now, edits?.title ?? null, edits?.body ?? null, id],
    );
  }
}
