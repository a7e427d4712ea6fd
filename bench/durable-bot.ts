/**
 * The baseline of bench:telegram: a careful hand-written durable Telegram bot, with the guarantees
 * Parley gives and nothing else. telegraf's webhookCallback takes the update; the update is
 * committed (keyed by update_id, so a redelivery is acknowledged but not answered twice) before the
 * 200; after the 200 the answer's outbound row is committed before sendMessage, and the delivery
 * (Telegram's message id) is recorded in that row. On start it answers the updates not yet answered
 * and sends the outbound rows not yet delivered. One chat is answered in order.
 *
 * Store: better-sqlite3 (WAL, synchronous=NORMAL) at DB_PATH, or Postgres (STORE=postgres) at
 * PG_URL in its own schema PG_SCHEMA with a pool of 10 (Parley's default). Listens on PORT at
 * /webhook; Bot API calls go to API_ROOT.
 *
 *   PORT=… TOKEN=… SECRET=… API_ROOT=… DB_PATH=… node --import tsx bench/durable-bot.ts
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Telegraf } from 'telegraf';

/** A fixed short answer: the baseline does no retrieval, only the durable path. */
const ANSWER = 'Shipping to Germany takes 2-4 business days.';

interface Pending {
  id: number;
  chatId: number;
  text: string;
}

/** The few statements the bot needs, on either database. */
interface DurableStore {
  /** Commits the update; false when update_id was already stored (a redelivery). */
  accept(updateId: number, chatId: number | null, body: string): Promise<boolean>;
  /** Marks the update answered and commits its outbound row in one transaction; undefined if it was already answered. */
  answer(updateId: number, chatId: number, text: string): Promise<number | undefined>;
  delivered(outboundId: number, messageId: number): Promise<void>;
  /** Updates stored but not answered, and outbound rows committed but not delivered. */
  unfinished(): Promise<{ updates: { updateId: number; chatId: number }[]; outbound: Pending[] }>;
}

const tables = (serial: string, bool: string) => [
  `CREATE TABLE IF NOT EXISTS updates (update_id BIGINT PRIMARY KEY, chat_id BIGINT, body TEXT NOT NULL, answered ${bool} NOT NULL DEFAULT FALSE)`,
  `CREATE TABLE IF NOT EXISTS outbound (id ${serial}, update_id BIGINT NOT NULL UNIQUE, chat_id BIGINT NOT NULL, text TEXT NOT NULL, message_id BIGINT, delivered_at BIGINT)`,
  `CREATE INDEX IF NOT EXISTS updates_unanswered ON updates (update_id) WHERE NOT answered`,
  `CREATE INDEX IF NOT EXISTS outbound_undelivered ON outbound (id) WHERE message_id IS NULL`,
];

function sqliteStore(path: string): DurableStore {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const sql of tables('INTEGER PRIMARY KEY AUTOINCREMENT', 'INTEGER')) db.exec(sql);
  const insert = db.prepare('INSERT INTO updates (update_id, chat_id, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const markAnswered = db.prepare('UPDATE updates SET answered = TRUE WHERE update_id = ? AND NOT answered');
  const insertOutbound = db.prepare('INSERT INTO outbound (update_id, chat_id, text) VALUES (?, ?, ?)');
  const answer = db.transaction((updateId: number, chatId: number, text: string) => {
    if (markAnswered.run(updateId).changes === 0) return undefined;
    return Number(insertOutbound.run(updateId, chatId, text).lastInsertRowid);
  });
  const delivered = db.prepare('UPDATE outbound SET message_id = ?, delivered_at = ? WHERE id = ?');
  return {
    accept: async (updateId, chatId, body) => insert.run(updateId, chatId, body).changes === 1,
    answer: async (updateId, chatId, text) => answer(updateId, chatId, text),
    delivered: async (id, messageId) => void delivered.run(messageId, Date.now(), id),
    unfinished: async () => ({
      updates: db
        .prepare('SELECT update_id AS updateId, chat_id AS chatId FROM updates WHERE NOT answered AND chat_id IS NOT NULL ORDER BY update_id')
        .all() as {
        updateId: number;
        chatId: number;
      }[],
      outbound: db.prepare('SELECT id, chat_id AS "chatId", text FROM outbound WHERE message_id IS NULL ORDER BY id').all() as Pending[],
    }),
  };
}

async function postgresStore(url: string, schema: string): Promise<DurableStore> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await admin.end();
  const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c search_path=${schema}` });
  for (const sql of tables('BIGSERIAL PRIMARY KEY', 'BOOLEAN')) await pool.query(sql);
  return {
    async accept(updateId, chatId, body) {
      const r = await pool.query('INSERT INTO updates (update_id, chat_id, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [updateId, chatId, body]);
      return r.rowCount === 1;
    },
    async answer(updateId, chatId, text) {
      // One statement, so one transaction: the update is answered exactly when its outbound row exists.
      const r = await pool.query<{ id: string }>(
        `WITH u AS (UPDATE updates SET answered = TRUE WHERE update_id = $1 AND NOT answered RETURNING update_id)
         INSERT INTO outbound (update_id, chat_id, text) SELECT update_id, $2, $3 FROM u RETURNING id`,
        [updateId, chatId, text],
      );
      return r.rows[0] ? Number(r.rows[0].id) : undefined;
    },
    async delivered(id, messageId) {
      await pool.query('UPDATE outbound SET message_id = $1, delivered_at = $2 WHERE id = $3', [messageId, Date.now(), id]);
    },
    async unfinished() {
      const updates = await pool.query(
        'SELECT update_id AS "updateId", chat_id AS "chatId" FROM updates WHERE NOT answered AND chat_id IS NOT NULL ORDER BY update_id',
      );
      const outbound = await pool.query('SELECT id, chat_id AS "chatId", text FROM outbound WHERE message_id IS NULL ORDER BY id');
      return {
        updates: updates.rows.map((r) => ({ updateId: Number(r.updateId), chatId: Number(r.chatId) })),
        outbound: outbound.rows.map((r) => ({ id: Number(r.id), chatId: Number(r.chatId), text: String(r.text) })),
      };
    },
  };
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`durable-bot: set ${name}`);
  return value;
};

const store = process.env.STORE === 'postgres' ? await postgresStore(env('PG_URL'), env('PG_SCHEMA')) : sqliteStore(env('DB_PATH'));
const bot = new Telegraf(env('TOKEN'), { telegram: { apiRoot: env('API_ROOT'), webhookReply: false }, handlerTimeout: 10_000 });
bot.botInfo = {
  id: 1,
  is_bot: true,
  first_name: 'Bench',
  username: 'bench_bot',
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

// One chat's work runs in order (its answers must not overtake each other); chats run concurrently.
const chains = new Map<number, Promise<void>>();
function inOrder(chatId: number, work: () => Promise<void>): void {
  const next = (chains.get(chatId) ?? Promise.resolve()).then(work).catch((err) => console.error('durable-bot:', err));
  chains.set(chatId, next);
  void next.then(() => chains.get(chatId) === next && chains.delete(chatId));
}

async function deliver(row: Pending): Promise<void> {
  const message = await bot.telegram.sendMessage(row.chatId, row.text);
  await store.delivered(row.id, message.message_id);
}

async function answerUpdate(updateId: number, chatId: number): Promise<void> {
  const id = await store.answer(updateId, chatId, ANSWER);
  if (id !== undefined) await deliver({ id, chatId, text: ANSWER });
}

bot.use(async (ctx) => {
  // Only text messages are answered; other updates are stored without a chat, so no restart answers them.
  const chatId = ctx.message && 'text' in ctx.message ? ctx.message.chat.id : null;
  const updateId = ctx.update.update_id;
  // The 200 goes out when this resolves: only after the update is committed.
  const fresh = await store.accept(updateId, chatId, JSON.stringify(ctx.update));
  if (fresh && chatId !== null) inOrder(chatId, () => answerUpdate(updateId, chatId));
});
// telegraf would answer 200 after a failed handler: a failed commit must be a 500, so Telegram redelivers.
bot.catch((err, ctx) => {
  console.error('durable-bot: update not stored', err);
  const res = (ctx.telegram as unknown as { response?: { statusCode: number } }).response;
  if (res) res.statusCode = 500;
});

const pending = await store.unfinished();
for (const row of pending.outbound) inOrder(row.chatId, () => deliver(row));
for (const u of pending.updates) inOrder(u.chatId, () => answerUpdate(u.updateId, u.chatId));

const handle = bot.webhookCallback('/webhook', { secretToken: env('SECRET') });
const server = createServer((req, res) => void handle(req, res));
server.keepAliveTimeout = 60_000;
server.listen(Number(env('PORT')), '127.0.0.1', () => console.log('listening'));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
