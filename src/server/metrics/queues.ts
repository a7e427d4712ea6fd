import { Gauge, type Registry } from 'prom-client';
import type { Clock, Logger } from '../../core/ports.js';
import type { SqlDriver } from '../../store/driver.js';

// One statement per scrape, the same on both databases. Each part reads only the open rows
// through the partial indexes the queues claim with (`inbox_open`, `outbox_open`: their WHERE
// is repeated word for word, or SQLite would not use them); the oldest open event is the one
// with the smallest id, found first in `inbox_open`.
const DEPTHS = `SELECT
  (SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'processing')) AS inbox_depth,
  (SELECT received_at FROM inbox WHERE status IN ('pending', 'processing') ORDER BY id LIMIT 1) AS inbox_oldest,
  (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS outbox_depth`;

interface Depths {
  inbox_depth: number | string;
  inbox_oldest: number | string | null;
  outbox_depth: number | string;
}

/**
 * The durable queues' backlog, read from the database when scraped. Every instance sharing a
 * database reports the same figures: aggregate them with `max`, not `sum`.
 */
export function queueGauges(registry: Registry, deps: { driver: SqlDriver; clock: Clock; log: Logger }) {
  const registers = [registry];
  const inboxDepth = new Gauge({
    name: 'parley_inbox_depth',
    help: 'Inbound events accepted and not yet done (pending or running), all instances.',
    registers,
  });
  const inboxAge = new Gauge({ name: 'parley_inbox_oldest_age_seconds', help: 'Age of the oldest inbound event not yet done; 0 when none.', registers });
  const outboxDepth = new Gauge({ name: 'parley_outbox_depth', help: 'Replies queued or being sent (retries waiting included), all instances.', registers });
  const up = new Gauge({ name: 'parley_database_up', help: 'Whether the last scrape could read the queues from the database (1) or not (0).', registers });
  return {
    /** Reads the backlog into the gauges; a failed read leaves them and sets `parley_database_up` to 0. */
    async refresh(): Promise<void> {
      try {
        const row = await deps.driver.get<Depths>(DEPTHS);
        const oldest = row?.inbox_oldest;
        inboxDepth.set(Number(row?.inbox_depth ?? 0));
        inboxAge.set(oldest === null || oldest === undefined ? 0 : Math.max(0, deps.clock.now() - Number(oldest)) / 1000);
        outboxDepth.set(Number(row?.outbox_depth ?? 0));
        up.set(1);
      } catch (err) {
        deps.log.warn({ err }, 'metrics: the queues could not be read');
        up.set(0);
      }
    },
  };
}
