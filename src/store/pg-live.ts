/**
 * Live fan-out over Postgres LISTEN/NOTIFY: one dedicated connection per process listens on the
 * deployment's channel; publishing is `pg_notify` on the pool. A NOTIFY payload holds at most
 * 8000 bytes (https://www.postgresql.org/docs/current/sql-notify.html), so a larger message goes
 * as numbered base64 pieces that the receivers put back together.
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { LiveRelay, LiveTopic } from '../core/live.js';
import type { Logger } from '../core/ports.js';
import type { SqlDriver } from './driver.js';

const MAX_PAYLOAD = 7900;
/** Bytes per piece: 5000 bytes are 6668 base64 characters, with room for the envelope. */
const PIECE = 5000;
/** Pieces of a message whose rest never came are dropped after this long. */
const PIECES_TTL_MS = 30_000;

export interface PostgresRelayOptions {
  url: string;
  schema?: string;
  /** Publishes through the store's pool. */
  driver: SqlDriver;
  log: Logger;
}

interface Whole {
  o: string;
  t: LiveTopic;
  b: unknown;
  s?: number;
}
interface Piece {
  o: string;
  k: string;
  i: number;
  n: number;
  d: string;
}

/** The channel of one deployment: instances sharing a schema share it, other schemas do not hear it. */
export function liveChannel(schema?: string): string {
  const name = schema ? `parley_live_${schema}` : 'parley_live';
  return name.length <= 63 ? name : `parley_live_${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** Splits an envelope into NOTIFY payloads. */
export function payloads(origin: string, text: string): string[] {
  if (Buffer.byteLength(text) <= MAX_PAYLOAD) return [text];
  const bytes = Buffer.from(text);
  const k = randomUUID();
  const n = Math.ceil(bytes.length / PIECE);
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({ o: origin, k, i, n, d: bytes.subarray(i * PIECE, (i + 1) * PIECE).toString('base64') } satisfies Piece),
  );
}

/** Starts listening; resolves once LISTEN is in place, so nothing published after it is missed. */
export async function openPostgresRelay(options: PostgresRelayOptions): Promise<LiveRelay> {
  const origin = randomUUID();
  const channel = liveChannel(options.schema);
  const listeners = new Map<LiveTopic, Set<(body: unknown) => void>>();
  const pieces = new Map<string, { parts: Buffer[]; got: number; at: number }>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = 250;
  let sending: Promise<void> = Promise.resolve();
  const queued: string[] = [];
  let published = 0;

  const deliver = (whole: Whole) => {
    for (const l of listeners.get(whole.t) ?? []) {
      try {
        l(whole.b);
      } catch (err) {
        options.log.warn({ err, topic: whole.t }, 'live listener failed');
      }
    }
  };
  const received = (payload: string) => {
    const msg = JSON.parse(payload) as Whole | Piece;
    if (msg.o === origin) return;
    if (!('k' in msg)) return deliver(msg);
    const now = Date.now();
    for (const [k, p] of pieces) if (now - p.at > PIECES_TTL_MS) pieces.delete(k);
    const entry = pieces.get(msg.k) ?? { parts: new Array<Buffer>(msg.n), got: 0, at: now };
    pieces.set(msg.k, entry);
    if (!entry.parts[msg.i]) entry.got++;
    entry.parts[msg.i] = Buffer.from(msg.d, 'base64');
    if (entry.got < msg.n) return;
    pieces.delete(msg.k);
    deliver(JSON.parse(Buffer.concat(entry.parts).toString('utf8')) as Whole);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: options.url });
    c.on('notification', (n) => {
      if (n.channel !== channel || !n.payload) return;
      try {
        received(n.payload);
      } catch (err) {
        options.log.warn({ err }, 'unreadable live notification');
      }
    });
    // A dropped connection (restart, failover, idle kill) is reopened; meanwhile frames are missed
    // and the sockets catch up from the store.
    const lost = (err?: Error) => {
      if (client !== c) return;
      client = undefined;
      c.removeAllListeners('error');
      c.on('error', () => undefined);
      void c.end().catch(() => undefined);
      if (closed) return;
      options.log.warn({ err, retryMs }, 'live link lost: reconnecting');
      setTimeout(() => void reconnect(), retryMs).unref();
      retryMs = Math.min(retryMs * 2, 5000);
    };
    c.on('error', lost);
    c.on('end', () => lost());
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    client = c;
    retryMs = 250;
  };
  const reconnect = async () => {
    if (closed || client) return;
    await connect().catch((err: Error) => {
      options.log.warn({ err, retryMs }, 'live link not reopened: trying again');
      setTimeout(() => void reconnect(), retryMs).unref();
      retryMs = Math.min(retryMs * 2, 5000);
    });
  };

  await connect();
  return {
    publish(topic, body) {
      if (closed) return;
      // Numbered: Postgres folds identical payloads of one transaction into one notification.
      const waiting = queued.length > 0;
      queued.push(...payloads(origin, JSON.stringify({ o: origin, t: topic, b: body, s: ++published } satisfies Whole)));
      if (waiting) return;
      // What is published while a statement is out goes in the next one, in order: one statement
      // per batch, so the other instances see frames in the order they were published.
      sending = sending
        .then(async () => {
          const texts = queued.splice(0);
          await options.driver.run(
            `SELECT pg_notify(?, t) FROM (SELECT t FROM jsonb_array_elements_text(CAST(? AS jsonb)) WITH ORDINALITY AS x(t, n) ORDER BY n OFFSET 0) s`,
            [channel, JSON.stringify(texts)],
          );
        })
        .catch((err: unknown) => options.log.warn({ err, topic }, 'live publish failed'));
    },
    on(topic, listener) {
      let set = listeners.get(topic);
      if (!set) listeners.set(topic, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    async close() {
      closed = true;
      await sending;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
