/**
 * Who is online, shared by every gateway instance on the database (docs/scaling.md). Each
 * instance keeps one row per agent whose console it serves: its open sockets there, the
 * agent's away flag and when the instance last refreshed the row. Rows are refreshed every
 * `everyMs`; a row not refreshed within `ttlMs` counts as gone, so the agents of an instance
 * killed outright go offline by themselves. Away is the agent's, not the socket's: setting it
 * marks every row of the agent, and a row an instance adds later starts with it.
 */
import type { Logger } from '../core/ports.js';
import type { SqlDriver } from '../store/driver.js';

/** Options of {@link AgentPresence}. */
export interface PresenceOptions {
  driver: SqlDriver;
  /** This gateway instance: the second half of every row's key. */
  instanceId: string;
  now(): number;
  log: Logger;
  /** How often this instance refreshes its rows (5 s). */
  everyMs?: number;
  /** After how long a row not refreshed is gone (3 × `everyMs`: two late refreshes are survived). */
  ttlMs?: number;
}

/** Agents' presence in the database (see the file's comment). */
export class AgentPresence {
  readonly everyMs: number;
  readonly ttlMs: number;
  /** Open console sockets per agent on this instance: the truth this instance's rows mirror. */
  private readonly sockets = new Map<string, number>();
  /** Writes go one after another, so the row always ends with the latest count. */
  private writes: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: PresenceOptions) {
    this.everyMs = options.everyMs ?? 5000;
    this.ttlMs = options.ttlMs ?? 3 * this.everyMs;
  }

  /** Console sockets open on this instance, all agents together (operator metrics). */
  get openSockets(): number {
    let n = 0;
    for (const count of this.sockets.values()) n += count;
    return n;
  }

  /** A console socket opened (+1) or closed (-1) on this instance, or the agent set away (for every instance). */
  change(agentId: string, change: { sockets?: number; away?: boolean }): Promise<void> {
    this.sockets.set(agentId, Math.max(0, (this.sockets.get(agentId) ?? 0) + (change.sockets ?? 0)));
    if (this.stopped) return this.writes;
    return this.write(async () => {
      await this.upsert(agentId, this.options.now());
      if (change.away !== undefined) await this.options.driver.run('UPDATE agent_presence SET away = ? WHERE agent_id = ?', [change.away ? 1 : 0, agentId]);
    });
  }

  /** Some live row has an open socket, and the agent is not away. */
  async isOnline(agentId: string): Promise<boolean> {
    const row = await this.options.driver.get<{ sockets: number | null; away: number | null }>(
      'SELECT SUM(sockets) AS sockets, MAX(away) AS away FROM agent_presence WHERE agent_id = ? AND seen_at >= ?',
      [agentId, this.options.now() - this.ttlMs],
    );
    return Number(row?.sockets ?? 0) > 0 && Number(row?.away ?? 0) === 0;
  }

  /** Every agent online on any live instance. */
  async online(): Promise<Set<string>> {
    const rows = await this.options.driver.all<{ agent_id: string }>(
      'SELECT agent_id FROM agent_presence WHERE seen_at >= ? GROUP BY agent_id HAVING SUM(sockets) > 0 AND MAX(away) = 0',
      [this.options.now() - this.ttlMs],
    );
    return new Set(rows.map((r) => String(r.agent_id)));
  }

  /**
   * Marks this instance's rows as seen now (and puts back any a slow tick let expire and
   * another instance removed), then removes every instance's expired rows.
   */
  refresh(): Promise<void> {
    return this.write(async () => {
      const { driver, instanceId } = this.options;
      const now = this.options.now();
      const seen = await driver.run('UPDATE agent_presence SET seen_at = ? WHERE instance_id = ?', [now, instanceId]);
      if (seen !== this.sockets.size) for (const agentId of this.sockets.keys()) await this.upsert(agentId, now);
      await driver.run('DELETE FROM agent_presence WHERE seen_at < ?', [now - this.ttlMs]);
    });
  }

  /** Forgets every instance's rows: for the embedded database, whose one owner is this process. */
  async forgetAll(): Promise<void> {
    await this.write(() => this.options.driver.run('DELETE FROM agent_presence').then(() => undefined));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.refresh(), this.everyMs).unref();
  }

  /** Stops refreshing and removes this instance's rows: its agents are offline here at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    await this.write(async () => {
      await this.options.driver.run('DELETE FROM agent_presence WHERE instance_id = ?', [this.options.instanceId]);
    });
  }

  /** This instance's row of the agent; a new row starts with the agent's away flag from the live rows. */
  private async upsert(agentId: string, now: number): Promise<void> {
    await this.options.driver.run(
      `INSERT INTO agent_presence (agent_id, instance_id, sockets, away, seen_at)
       VALUES (?, ?, ?, COALESCE((SELECT MAX(p.away) FROM agent_presence p WHERE p.agent_id = ? AND p.seen_at >= ?), 0), ?)
       ON CONFLICT (agent_id, instance_id) DO UPDATE SET sockets = excluded.sockets, seen_at = excluded.seen_at`,
      [agentId, this.options.instanceId, this.sockets.get(agentId) ?? 0, agentId, now - this.ttlMs, now],
    );
  }

  private write(step: () => Promise<void>): Promise<void> {
    this.writes = this.writes.then(step).catch((err: unknown) => this.options.log.warn({ err }, 'agent presence not written; the next refresh retries'));
    return this.writes;
  }
}
