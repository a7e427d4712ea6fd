import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ModelObserver } from '../../bot/llm/timed.js';
import type { TranscriptionObserver } from '../../media/understand/transcriber.js';
import type { Clock, Logger } from '../../core/ports.js';
import type { SqlDriver } from '../../store/driver.js';
import { queueGauges } from './queues.js';
import { createMetrics } from './registry.js';
import { listenForMetrics, mountMetrics, type Scrape } from './serve.js';

/** The `metrics:` block, validated (src/config/schema.ts). */
interface MetricsConfig {
  key?: string | undefined;
  port?: number | undefined;
  host: string;
  instance?: string | undefined;
}

/**
 * The gateway's metrics with their endpoint: the hooks the composition root hands to the parts
 * it builds, then `serve` (after the routes), `url` and `close`. Built only when
 * `metrics.enabled`: otherwise no part gets a hook and nothing is counted.
 *
 * @example
 * ```ts
 * const metrics = config.metrics.enabled ? openMetrics(config.metrics, { driver, clock, log }) : undefined;
 * await metrics?.serve(app); // GET /metrics on the app (key) or on metrics.port
 * ```
 */
export function openMetrics(config: MetricsConfig, deps: { driver: SqlDriver; clock: Clock; log: Logger }) {
  const metrics = createMetrics({ instance: config.instance }, deps.clock);
  const queues = queueGauges(metrics.registry, deps);
  const scrape: Scrape = {
    contentType: metrics.registry.contentType,
    async render() {
      await queues.refresh();
      return metrics.registry.metrics();
    },
  };
  let listener: { url: string; server: Server } | undefined;
  return {
    ...metrics,

    /** The model's observer; its provider is the endpoint's host (`api.openai.com`, `localhost:11434`). */
    forModel(baseURL: string | undefined): ModelObserver {
      const provider = new URL(baseURL ?? 'https://api.openai.com/v1').host;
      return (ms, failure) => metrics.model(provider, ms, failure);
    },

    /** The transcriber's observer; its provider is the endpoint's host, as for the model. */
    forTranscription(baseURL: string | undefined): TranscriptionObserver {
      const provider = new URL(baseURL ?? 'https://api.openai.com/v1').host;
      return (ms, failure) => metrics.transcription(provider, ms, failure);
    },

    /** Serves `/metrics`: on a listener of its own when `metrics.port` is set, else on `app` behind the key. */
    async serve(app: FastifyInstance): Promise<void> {
      if (config.port !== undefined) listener = await listenForMetrics({ ...config, port: config.port }, scrape, deps.log);
      else if (config.key !== undefined) mountMetrics(app, config.key, scrape);
    },

    /** The separate listener's URL (`http://127.0.0.1:9464`), when there is one. */
    get url(): string | undefined {
      return listener?.url;
    },

    async close(): Promise<void> {
      const server = listener?.server;
      if (!server) return;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The metrics of one gateway, with their endpoint. */
export type OperatorMetrics = ReturnType<typeof openMetrics>;
