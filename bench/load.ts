import { Agent, request } from 'node:http';

/** Options of one load run. */
export interface LoadOptions {
  url: string;
  /** Concurrent requests in flight. */
  connections: number;
  durationMs: number;
  /** Builds request `i`: body and headers. */
  build(i: number): { body: string; headers?: Record<string, string> };
}

/** What a load run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A small closed-loop load generator over keep-alive HTTP: `connections` requests in flight,
 * each sent as soon as the previous one on its slot answered. Used for both sides of a
 * benchmark so the ratio compares like with like.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const deadline = performance.now() + options.durationMs;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = options.build(i);
      const started = performance.now();
      const req = request(
        {
          agent,
          hostname: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) errors++;
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { requests: latencies.length, errors, perSecond: latencies.length / seconds, p50Ms: at(0.5), p99Ms: at(0.99) };
}
