import type { SqlDriver } from './driver.js';

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
CREATE INDEX inbox_conv ON inbox (conv_key, id);
CREATE INDEX inbox_open ON inbox (status, id);
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
CREATE INDEX outbox_conv ON outbox (conversation_id, id);
CREATE INDEX outbox_open ON outbox (status, next_attempt_at);
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
];

/** Applies every migration the database has not seen yet, each in its own transaction. */
export async function migrate(db: SqlDriver): Promise<number[]> {
  const idType = db.dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
  );
  const applied = new Set(
    (await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
  );
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    const statements = m.sql.replaceAll('{{id}}', idType).split(';').map((s) => s.trim()).filter(Boolean);
    await db.transaction(async (tx) => {
      for (const statement of statements) await tx.run(statement);
      await tx.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING',
        [m.version, m.name, Date.now()],
      );
    });
    done.push(m.version);
  }
  return done;
}
