/**
 * What operators scrape (docs/metrics.md): one prom-client Registry per gateway (never the
 * global one), with the default process metrics and an `instance` label on every series. The
 * hooks below run on the hot path: each is a cached child's `inc` or `observe`, children are
 * made once per label value, and nothing else is allocated per turn or delivery.
 */
import { hostname } from 'node:os';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { HandoffPort } from '../../core/pipeline.js';
import type { Clock } from '../../core/ports.js';
import type { InboxItem, OutboxItem } from '../../core/store.js';

const TURN_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const DELIVERY_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
const MODEL_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
const TRANSLATION_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** A delivery attempt's outcome as the outbox records it (src/store/sql-queue.ts `DeliveryOutcome`). */
type Recorded = { ok: true } | { ok: false; reason?: string; retryAt?: number };

/** Children of a labelled metric, one per label value, made on first use and kept. */
function cached<T>(make: (value: string) => T): (value: string) => T {
  const children = new Map<string, T>();
  return (value) => {
    let child = children.get(value);
    if (child === undefined) children.set(value, (child = make(value)));
    return child;
  };
}

function turnMetrics(registry: Registry) {
  const duration = new Histogram({
    name: 'parley_turn_duration_seconds',
    help: 'From accepting an inbound event to its turn being done (committed), per channel.',
    labelNames: ['channel'],
    buckets: TURN_BUCKETS,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'parley_turn_failures_total',
    help: 'Turns that threw (retried, or failed for good).',
    labelNames: ['channel'],
    registers: [registry],
  });
  const receipts = new Counter({
    name: 'parley_delivery_status_total',
    help: 'Delivery receipts from the platforms (delivered, read, failed), per channel.',
    labelNames: ['channel', 'status'],
    registers: [registry],
  });
  return {
    of: cached((channel) => ({
      duration: duration.labels(channel),
      failures: failures.labels(channel),
      receipt: cached((status) => receipts.labels(channel, status)),
    })),
  };
}

function deliveryMetrics(registry: Registry) {
  const deliveries = new Counter({
    name: 'parley_deliveries_total',
    help: 'Outbox delivery attempts by outcome: sent, failed (will be retried), dead (dead-lettered).',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'parley_delivery_latency_seconds',
    help: 'From a reply being queued to the platform accepting it, retries included, per channel.',
    labelNames: ['channel'],
    buckets: DELIVERY_BUCKETS,
    registers: [registry],
  });
  const retries = new Counter({
    name: 'parley_delivery_retries_total',
    help: 'Failed attempts scheduled for a retry, by reason.',
    labelNames: ['channel', 'reason'],
    registers: [registry],
  });
  const dead = new Counter({
    name: 'parley_dead_letters_total',
    help: 'Messages dead-lettered, by reason.',
    labelNames: ['channel', 'reason'],
    registers: [registry],
  });
  return cached((channel) => ({
    sent: deliveries.labels(channel, 'sent'),
    failed: deliveries.labels(channel, 'failed'),
    dead: deliveries.labels(channel, 'dead'),
    latency: latency.labels(channel),
    retries: cached((reason) => retries.labels(channel, reason)),
    deadLetters: cached((reason) => dead.labels(channel, reason)),
  }));
}

const HELP = {
  model: ['LLM calls (answered or failed), per provider.', 'Failed LLM calls, per provider and kind (timeout, rate_limit, server, connection, refused).'],
  translation: [
    'Translation provider calls (answered or failed), per provider.',
    'Failed translation provider calls, per provider and kind (transient: timeout, 429, 5xx; failed: anything else).',
  ],
  transcription: [
    'Voice-note transcription calls (answered or failed), per endpoint.',
    'Failed transcription calls, per endpoint and kind (timeout, refused, unreachable).',
  ],
} as const;

function providerMetrics(registry: Registry, what: keyof typeof HELP, buckets: number[]) {
  const duration = new Histogram({
    name: `parley_${what}_duration_seconds`,
    help: HELP[what][0],
    labelNames: ['provider'],
    buckets,
    registers: [registry],
  });
  const errors = new Counter({
    name: `parley_${what}_errors_total`,
    help: HELP[what][1],
    labelNames: ['provider', 'kind'],
    registers: [registry],
  });
  const of = cached((provider) => ({ duration: duration.labels(provider), errors: cached((kind) => errors.labels(provider, kind)) }));
  /** One call to `provider`: how long it took and, when it failed, the failure's kind. */
  return (provider: string, ms: number, failure?: string): void => {
    const metrics = of(provider);
    metrics.duration.observe(ms / 1000);
    if (failure) metrics.errors(failure).inc();
  };
}

/** What {@link createMetrics} reads at scrape time. */
export interface ScrapeSources {
  /** Open web-chat sockets on this instance. */
  webchatSockets?(): number;
  /** Open console sockets on this instance. */
  consoleSockets?(): number;
}

function socketGauge(registry: Registry, sources: ScrapeSources) {
  new Gauge({
    name: 'parley_open_sockets',
    help: 'Open WebSockets on this instance: web chat (shoppers) and console (agents).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.set({ kind: 'webchat' }, sources.webchatSockets?.() ?? 0);
      this.set({ kind: 'console' }, sources.consoleSockets?.() ?? 0);
    },
  });
}

/**
 * The gateway's metrics and the hooks that feed them.
 *
 * @example
 * ```ts
 * const metrics = createMetrics({ instance: 'gw-1' }, clock);
 * inbox.start(metrics.timeTurns(pipeline.runTurn));
 * createOutbox({ ...options, delivered: metrics.delivered });
 * await metrics.registry.metrics(); // the text format
 * ```
 */
export function createMetrics(settings: { instance?: string | undefined }, clock: Clock) {
  const registry = new Registry();
  registry.setDefaultLabels({ instance: settings.instance ?? `${hostname()}-${process.pid}` });
  collectDefaultMetrics({ register: registry });
  const turns = turnMetrics(registry);
  const deliveries = deliveryMetrics(registry);
  const models = providerMetrics(registry, 'model', MODEL_BUCKETS);
  const translations = providerMetrics(registry, 'translation', TRANSLATION_BUCKETS);
  const transcriptions = providerMetrics(registry, 'transcription', MODEL_BUCKETS);
  const handoffs = new Counter({
    name: 'parley_handoffs_total',
    help: 'Conversations handed to a person, by reason.',
    labelNames: ['reason'],
    registers: [registry],
  });
  const care = new Counter({
    name: 'parley_care_messages_total',
    help: 'Proactive care messages by template and outcome (sent, held, deferred, skipped, undeliverable).',
    labelNames: ['template', 'status'],
    registers: [registry],
  });
  const channels = new Gauge({
    name: 'parley_channel_info',
    help: 'Configured channels (1 each): id and type.',
    labelNames: ['channel', 'type'],
    registers: [registry],
  });
  const handoffOf = cached((reason) => handoffs.labels(reason));
  const careOf = cached((template) => cached((status) => care.labels(template, status)));

  return {
    registry,

    /** Marks the configured channels (`parley_channel_info`) and reads sockets at scrape time. */
    watch(configured: readonly { id: string; type: string }[], sources: ScrapeSources): void {
      for (const c of configured) channels.set({ channel: c.id, type: c.type }, 1);
      socketGauge(registry, sources);
    },

    /** The inbox's turn runner, timed from the event's acceptance to the turn being done. */
    timeTurns<R>(run: (item: InboxItem) => Promise<R>): (item: InboxItem) => Promise<R> {
      return async (item) => {
        const of = turns.of(item.channelId);
        let result: R;
        try {
          result = await run(item);
        } catch (err) {
          of.failures.inc();
          throw err;
        }
        of.duration.observe(Math.max(0, clock.now() - item.receivedAt) / 1000);
        if (item.event.type === 'delivery') of.receipt(item.event.status).inc();
        return result;
      };
    },

    /** The outbox's record of one attempt. */
    delivered(item: OutboxItem, outcome: Recorded): void {
      const of = deliveries(item.channelId);
      if (outcome.ok) {
        of.sent.inc();
        of.latency.observe(Math.max(0, clock.now() - item.createdAt) / 1000);
      } else if (outcome.retryAt !== undefined) {
        of.failed.inc();
        of.retries(outcome.reason ?? 'transient').inc();
      } else {
        of.dead.inc();
        of.deadLetters(outcome.reason ?? 'invalid').inc();
      }
    },

    /** One model call: how long it took and, when it failed, the failure's kind. */
    model: models,

    /** One translation provider call and, when it failed, whether it may pass (`transient`) or not (`failed`). */
    translation: translations,

    /** One transcription call and, when it failed, its kind. */
    transcription: transcriptions,

    /** Counts every handoff the pipeline queues, by reason. */
    handoffs(port: HandoffPort): HandoffPort {
      const { queued } = port;
      if (!queued) return port;
      return {
        ...port,
        queued(turn, reason) {
          handoffOf(reason).inc();
          return queued.call(port, turn, reason);
        },
      };
    },

    /** One care message's outcome. */
    care(template: string, status: string): void {
      careOf(template)(status).inc();
    },
  };
}
