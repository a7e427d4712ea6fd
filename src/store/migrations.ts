import type { SqlDriver } from './driver.js';
import { BUCKET_MS } from './report-aggregates.js';

/**
 * Schema migrations, applied in order at start. Written once for both databases; `{{id}}` is
 * the dialect's auto-incrementing key. Never edit a shipped migration: add the next one.
 */
const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'conversation core',
    sql: `
CREATE TABLE shoppers (
  id TEXT PRIMARY KEY,
  display_name TEXT,
  language TEXT,
  customer_ref TEXT UNIQUE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE identities (
  channel_id TEXT NOT NULL,
  platform_user_id TEXT NOT NULL,
  shopper_id TEXT NOT NULL REFERENCES shoppers(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (channel_id, platform_user_id)
);
CREATE INDEX identities_shopper ON identities (shopper_id);
CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  shopper_id TEXT NOT NULL REFERENCES shoppers(id) ON DELETE CASCADE,
  channel_id TEXT NOT NULL,
  conv_key TEXT NOT NULL UNIQUE,
  ref_json TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'bot',
  language TEXT,
  offered_json TEXT,
  last_inbound_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX conversations_updated ON conversations (updated_at);
CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  direction TEXT NOT NULL,
  role TEXT NOT NULL,
  parts_json TEXT NOT NULL,
  original_text TEXT,
  translated_text TEXT,
  language TEXT,
  status TEXT NOT NULL,
  client_id TEXT,
  platform_message_id TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (conversation_id, seq)
);
CREATE INDEX messages_platform ON messages (platform_message_id);
CREATE TABLE inbox (
  id {{id}},
  channel_id TEXT NOT NULL,
  event_id TEXT NOT NULL,
  conv_key TEXT NOT NULL,
  event_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until BIGINT,
  error TEXT,
  received_at BIGINT NOT NULL,
  processed_at BIGINT,
  UNIQUE (channel_id, event_id)
);
CREATE INDEX inbox_open ON inbox (id) WHERE status IN ('pending', 'processing');
CREATE INDEX inbox_open_conv ON inbox (conv_key, id) WHERE status IN ('pending', 'processing');
CREATE TABLE outbox (
  id {{id}},
  idempotency_key TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  ref_json TEXT NOT NULL,
  message_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_error TEXT,
  platform_ids_json TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX outbox_open ON outbox (id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_open_conv ON outbox (conversation_id, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_message ON outbox (message_id);
CREATE TABLE delivery_attempts (
  id {{id}},
  outbox_id BIGINT NOT NULL,
  attempt INTEGER NOT NULL,
  at BIGINT NOT NULL,
  ok INTEGER NOT NULL,
  error TEXT
);
CREATE INDEX delivery_attempts_outbox ON delivery_attempts (outbox_id);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
  },
  {
    version: 2,
    name: 'adapter state and leases',
    sql: `
CREATE TABLE kv (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  expires_at BIGINT
);
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at BIGINT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'translation memory and usage',
    sql: `
CREATE TABLE translation_memory (
  key TEXT PRIMARY KEY,
  provider TEXT NOT NULL,
  source_lang TEXT NOT NULL,
  target_lang TEXT NOT NULL,
  translated_text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE translation_usage (
  conversation_id TEXT NOT NULL,
  provider TEXT NOT NULL,
  characters BIGINT NOT NULL DEFAULT 0,
  tokens BIGINT NOT NULL DEFAULT 0,
  requests BIGINT NOT NULL DEFAULT 0,
  cache_hits BIGINT NOT NULL DEFAULT 0,
  failures BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (conversation_id, provider)
);
ALTER TABLE messages ADD COLUMN provider TEXT;
`,
  },
  {
    version: 4,
    name: 'human handoff and agent console',
    sql: `
CREATE TABLE agents (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  language TEXT NOT NULL,
  languages_json TEXT NOT NULL,
  skills_json TEXT NOT NULL,
  team_id TEXT,
  capacity INTEGER NOT NULL DEFAULT 5,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE console_sessions (
  id TEXT PRIMARY KEY,
  agent_id TEXT NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE handoffs (
  conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  reason TEXT,
  team_id TEXT,
  agent_id TEXT,
  queued_at BIGINT,
  assigned_at BIGINT,
  timeout_notified INTEGER NOT NULL DEFAULT 0,
  low_streak INTEGER NOT NULL DEFAULT 0,
  upset_json TEXT,
  rating_id BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX handoffs_agent ON handoffs (agent_id);
CREATE TABLE console_notes (
  id TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  agent_id TEXT NOT NULL,
  text TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX console_notes_conv ON console_notes (conversation_id, created_at);
CREATE TABLE message_authors (
  message_id TEXT PRIMARY KEY,
  agent_id TEXT,
  language TEXT NOT NULL
);
CREATE TABLE ratings (
  id {{id}},
  conversation_id TEXT NOT NULL,
  agent_id TEXT,
  rating INTEGER NOT NULL,
  comment TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX ratings_agent ON ratings (agent_id, created_at);
CREATE TABLE kb_proposals (
  id TEXT PRIMARY KEY,
  conversation_id TEXT,
  message_id TEXT,
  agent_id TEXT NOT NULL,
  question TEXT NOT NULL,
  wrong_answer TEXT,
  section TEXT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  reviewer_id TEXT,
  created_at BIGINT NOT NULL,
  reviewed_at BIGINT
)
`,
  },
  {
    version: 5,
    name: 'proactive care',
    sql: `
CREATE TABLE care_profiles (
  shopper_id TEXT PRIMARY KEY REFERENCES shoppers(id) ON DELETE CASCADE,
  email TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0,
  phone TEXT,
  phone_verified INTEGER NOT NULL DEFAULT 0,
  language TEXT,
  timezone TEXT,
  preferred_channel TEXT,
  marketing_opt_in INTEGER NOT NULL DEFAULT 0,
  opted_out_at BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE INDEX care_profiles_email ON care_profiles (email);
CREATE INDEX care_profiles_phone ON care_profiles (phone);
CREATE TABLE care_requests (
  key TEXT PRIMARY KEY,
  body_hash TEXT NOT NULL,
  status INTEGER NOT NULL,
  response_json TEXT,
  created_at BIGINT NOT NULL
);
CREATE TABLE care_messages (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  category TEXT NOT NULL,
  shopper_id TEXT,
  customer_ref TEXT,
  order_id TEXT,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL,
  reason TEXT,
  conversation_id TEXT,
  channel_id TEXT,
  language TEXT,
  message_id TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  scheduled_for BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX care_messages_created ON care_messages (created_at);
CREATE INDEX care_messages_shopper ON care_messages (shopper_id, category, status);
CREATE TABLE scheduled_jobs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  run_at BIGINT NOT NULL,
  payload_json TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_until BIGINT,
  last_error TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX scheduled_jobs_due ON scheduled_jobs (status, run_at);
CREATE TABLE care_feedback (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  shopper_id TEXT,
  conversation_id TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  language TEXT,
  rating INTEGER,
  comment TEXT,
  status TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  answered_at BIGINT
);
CREATE INDEX care_feedback_conv ON care_feedback (conversation_id, status)
`,
  },
  {
    version: 6,
    name: 'feedback answers remember their message',
    // A turn retried after a crash finds the answer it already recorded instead of recording
    // the shopper's rating again as a comment.
    sql: `ALTER TABLE care_feedback ADD COLUMN answered_by TEXT`,
  },
  {
    version: 7,
    name: 'a waiting shopper is acknowledged once per wait',
    sql: `ALTER TABLE handoffs ADD COLUMN waiting_acked INTEGER NOT NULL DEFAULT 0`,
  },
  {
    version: 8,
    name: 'demo mailbox',
    // Demo only (mail.demoMailbox): mails kept instead of sent, shown at /demo/mailbox.
    sql: `CREATE TABLE demo_mail (
  id TEXT PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  language TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX demo_mail_created ON demo_mail (created_at)`,
  },
  {
    version: 9,
    name: 'delivery failures keep their reason',
    // auth, blocked, rate_limited, invalid or transient (src/core/errors.ts DeliveryReason): the
    // console shows why a message failed; the index finds a conversation's dead rows.
    sql: `ALTER TABLE outbox ADD COLUMN last_reason TEXT;
ALTER TABLE delivery_attempts ADD COLUMN reason TEXT;
CREATE INDEX outbox_dead_conv ON outbox (conversation_id) WHERE status = 'dead'`,
  },
  {
    version: 10,
    name: 'sign-in attempts and idle console sessions',
    // One row per account (and client) being signed in to, counted in one statement so every
    // instance sees the same count; a session unused for console.sessionIdleMinutes ends.
    sql: `CREATE TABLE login_attempts (
  subject TEXT PRIMARY KEY,
  attempts INTEGER NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX login_attempts_expires ON login_attempts (expires_at);
ALTER TABLE console_sessions ADD COLUMN last_seen_at BIGINT`,
  },
  {
    version: 11,
    name: 'erasure: translation sources and the erasure log',
    // The conversations whose words made (or reused) a translation-memory entry: erasing a
    // shopper removes the entries made from their text. Erasures are logged without personal
    // data: keyed hashes of the shopper id and customer ref, the actor, the counts (docs/privacy.md).
    sql: `CREATE TABLE translation_sources (
  key TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (key, conversation_id)
);
CREATE INDEX translation_sources_conv ON translation_sources (conversation_id);
CREATE INDEX translation_sources_created ON translation_sources (created_at);
CREATE INDEX translation_memory_created ON translation_memory (created_at);
CREATE TABLE erasures (
  id TEXT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  shopper_hash TEXT NOT NULL,
  ref_hash TEXT,
  counts_json TEXT NOT NULL
);
CREATE INDEX erasures_shopper ON erasures (shopper_hash);
CREATE INDEX erasures_ref ON erasures (ref_hash)`,
  },
  {
    version: 12,
    name: 'retention',
    // The retention sweep (src/privacy/retention.ts) finds old rows through these indexes, a
    // batch at a time. `redaction`: 0 whole, 1 attachments removed, 2 content removed.
    sql: `ALTER TABLE messages ADD COLUMN redaction INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_redaction ON messages (redaction, created_at);
CREATE INDEX inbox_processed ON inbox (processed_at) WHERE status IN ('done', 'failed');
CREATE INDEX outbox_final ON outbox (updated_at) WHERE status IN ('sent', 'dead');
CREATE INDEX delivery_attempts_at ON delivery_attempts (at);
CREATE INDEX kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX care_requests_created ON care_requests (created_at);
CREATE INDEX scheduled_jobs_finished ON scheduled_jobs (updated_at) WHERE status IN ('done', 'failed');
CREATE INDEX console_notes_created ON console_notes (created_at);
CREATE INDEX conversations_idle ON conversations (updated_at) WHERE state NOT IN ('awaiting_agent', 'assigned')`,
  },
  {
    version: 13,
    name: 'agent presence shared by instances',
    // One row per agent and gateway instance: its open console sockets, the agent's away flag
    // (set on every row of the agent at once) and when the instance last refreshed the row. A
    // row not refreshed within the TTL is gone: an instance killed outright takes its agents
    // offline by itself (src/handoff/presence.ts).
    sql: `CREATE TABLE agent_presence (
  agent_id TEXT NOT NULL,
  instance_id TEXT NOT NULL,
  sockets INTEGER NOT NULL DEFAULT 0,
  away INTEGER NOT NULL DEFAULT 0,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (agent_id, instance_id)
);
CREATE INDEX agent_presence_seen ON agent_presence (seen_at)`,
  },
  {
    version: 14,
    name: 'reports',
    // Facts the reports (src/reports, docs/reports.md) need and the tables above do not keep:
    // every handoff and resolution with its time (the handoffs row holds only the latest), the
    // bot's unsure answers with the question asked (the knowledge base's to-do list), and
    // translation characters and model tokens per UTC day and provider. Report queries scan
    // messages, conversations and ratings by time through the indexes below.
    sql: `CREATE TABLE report_events (
  id {{id}},
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  reason TEXT,
  team_id TEXT,
  agent_id TEXT,
  question TEXT,
  example TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX report_events_at ON report_events (kind, at);
CREATE INDEX report_events_conv ON report_events (conversation_id, kind, at);
CREATE TABLE usage_daily (
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  provider TEXT NOT NULL,
  characters BIGINT NOT NULL DEFAULT 0,
  tokens BIGINT NOT NULL DEFAULT 0,
  requests BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, kind, provider)
);
CREATE INDEX messages_report ON messages (created_at, conversation_id, role);
CREATE INDEX conversations_created ON conversations (created_at);
CREATE INDEX ratings_created ON ratings (created_at)`,
  },
  {
    version: 15,
    name: 'report aggregates',
    // Kept with the messages, in the same transaction (src/store/sql-store.ts), so reports read
    // thousands of rows where the messages are millions (docs/reports.md). `report_activity`: a
    // conversation's messages per 15-minute bucket (every zone's offset is a multiple of 15
    // minutes, so local days and hours are exact), with the bucket before it that had a shopper's
    // (`prev_in`) or an agent's (`prev_agent`) message: the first such row of a local day counts
    // the conversation once for that day without grouping by conversation. `report_latency`: the
    // bot's replies per UTC day, channel and language, by how long the shopper waited, spread over
    // 16 `shard`s (the turn's inbox id modulo 16) that reports sum: every reply of a day would
    // otherwise update the same few rows in its turn's transaction, and on Postgres concurrent
    // turns would wait on that row lock one after the other.
    sql: `CREATE TABLE report_activity (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  bucket BIGINT NOT NULL,
  channel_id TEXT NOT NULL,
  language TEXT NOT NULL,
  inbound INTEGER NOT NULL DEFAULT 0,
  outbound INTEGER NOT NULL DEFAULT 0,
  agent INTEGER NOT NULL DEFAULT 0,
  prev_in BIGINT,
  prev_agent BIGINT,
  PRIMARY KEY (conversation_id, bucket)
);
CREATE INDEX report_activity_bucket ON report_activity (bucket, channel_id, language, inbound, outbound, agent, prev_in, prev_agent, conversation_id);
{{rebuild_activity}};
CREATE TABLE report_latency (
  day TEXT NOT NULL,
  channel_id TEXT NOT NULL,
  language TEXT NOT NULL,
  le_ms BIGINT NOT NULL,
  shard INTEGER NOT NULL DEFAULT 0,
  replies BIGINT NOT NULL DEFAULT 0,
  total_ms BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (day, channel_id, language, le_ms, shard)
)`,
  },
  {
    version: 16,
    name: 'no report index on messages',
    // Reports read the aggregates of migration 15, and nothing reads messages by time any more:
    // the index only made every message insert (two a turn) write one more b-tree.
    sql: 'DROP INDEX IF EXISTS messages_report',
  },
];

/**
 * Fills `report_activity` from the messages (migration 15, and `bench/reports.ts` after a bulk
 * load): the same rows the store keeps as messages are written, computed at once.
 */
export const REBUILD_ACTIVITY = `INSERT INTO report_activity (conversation_id, bucket, channel_id, language, inbound, outbound, agent, prev_in, prev_agent)
SELECT g.cid, g.bucket, g.channel_id, g.language, g.inbound, g.outbound, g.agent,
  MAX(CASE WHEN g.inbound > 0 THEN g.bucket END) OVER (PARTITION BY g.cid ORDER BY g.bucket ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
  MAX(CASE WHEN g.agent > 0 THEN g.bucket END) OVER (PARTITION BY g.cid ORDER BY g.bucket ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
FROM (SELECT m.conversation_id AS cid, m.created_at / ${BUCKET_MS} AS bucket, c.channel_id AS channel_id, COALESCE(c.language, '') AS language,
    SUM(CASE WHEN m.direction = 'in' THEN 1 ELSE 0 END) AS inbound, SUM(CASE WHEN m.direction = 'in' THEN 0 ELSE 1 END) AS outbound,
    SUM(CASE WHEN m.role = 'agent' THEN 1 ELSE 0 END) AS agent
  FROM messages m JOIN conversations c ON c.id = m.conversation_id
  GROUP BY m.conversation_id, m.created_at / ${BUCKET_MS}, c.channel_id, c.language) g
WHERE 1 = 1
ON CONFLICT (conversation_id, bucket) DO NOTHING`;

/** Applies every migration the database has not seen yet, each in its own transaction. */
export async function migrate(db: SqlDriver): Promise<number[]> {
  const idType = db.dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  await db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  const applied = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    const statements = m.sql
      .replaceAll('{{id}}', idType)
      .replaceAll('{{rebuild_activity}}', REBUILD_ACTIVITY)
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.run(statement);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING', [
        m.version,
        m.name,
        Date.now(),
      ]);
    });
    done.push(m.version);
  }
  return done;
}
