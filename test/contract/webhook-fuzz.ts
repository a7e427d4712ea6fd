import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, RawRequest } from '../../src/core/adapter.js';
import { defaultInputLimits, normalizeInbound } from '../../src/core/input.js';
import type { InboundEvent } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import type { InboxItem } from '../../src/core/store.js';
import { createHttpServer } from '../../src/server/http.js';
import { mountWebhooks } from '../../src/server/webhooks.js';

/**
 * What an adapter's fuzz test gives the shared suite.
 *
 * @example
 * ```ts
 * describeWebhookFuzz({
 *   name: 'line',
 *   create: () => createLineAdapter(testConfig(), fakeContext().ctx),
 *   seeds: () => eventFixtures().map((f) => fixture(f).toString()),
 *   sign: (body) => signedRequest(body),
 *   headers: ['x-line-signature'],
 * });
 * ```
 */
export interface FuzzSubject {
  name: string;
  create(): ChannelAdapter | Promise<ChannelAdapter>;
  /** Real platform payloads (the adapter's fixtures) the signed mutations start from. */
  seeds(): string[] | Promise<string[]>;
  /** How the seeds are written: JSON payloads are mutated field by field, others by splicing text. */
  format: 'json' | 'text';
  /** Signs a body as the platform does; absent when no request can pass (WhatsApp Web has no webhook). */
  sign?(body: string): RawRequest | Promise<RawRequest>;
  /** The headers and query parameters verify reads: arbitrary requests try them with arbitrary values. */
  headers: readonly string[];
  query?: readonly string[];
  /** Bodies the fuzzer once found wrong, checked first, every run (signed like the mutations). */
  regressions?(): string[];
}

/**
 * Runs per property: the whole suite (9 channels, 2 properties each) stays within a few seconds.
 * A failure prints its seed: `PARLEY_FUZZ_SEED=<seed> npx vitest run test/contract` replays it.
 */
const RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 100);
const SEED = process.env.PARLEY_FUZZ_SEED ? { seed: Number(process.env.PARLEY_FUZZ_SEED) } : {};

/** A JSON value mutated at a few places: a field replaced by any JSON (or text with NUL and lone surrogates), or removed. */
const jsonEdits = fc.array(
  fc.record({
    at: fc.nat(),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ unit: 'binary', maxLength: 64 }),
      fc.constant(undefined),
      fc.string({ minLength: 5000, maxLength: 6000 }),
    ),
  }),
  { minLength: 1, maxLength: 4 },
);

/** Text mutated at a few places: a span replaced by arbitrary text. */
const textEdits = fc.array(fc.record({ at: fc.nat(), cut: fc.nat({ max: 16 }), insert: fc.string({ unit: 'binary', maxLength: 32 }) }), {
  minLength: 1,
  maxLength: 4,
});

function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(path);
      paths(v, path, out);
    }
  }
  return out;
}

function mutateJson(seed: string, edits: { at: number; value: unknown }[]): string {
  const doc = JSON.parse(seed) as unknown;
  for (const edit of edits) {
    const all = paths(doc);
    const path = all[edit.at % Math.max(1, all.length)];
    if (!path) continue;
    const parent = path.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], doc) as Record<string | number, unknown>;
    const key = path[path.length - 1] as string | number;
    if (edit.value === undefined) delete parent[key];
    else parent[key] = edit.value;
  }
  return JSON.stringify(doc);
}

function mutateText(seed: string, edits: { at: number; cut: number; insert: string }[]): string {
  let text = seed;
  for (const { at, cut, insert } of edits) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + insert + text.slice(i + cut);
  }
  return text;
}

/** The real webhook route (src/server/webhooks.ts) with an inbox that records what it was handed. */
async function webhookServer(adapter: ChannelAdapter) {
  const failures: unknown[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (obj) => void failures.push(obj),
    child: () => log,
  };
  /** What the adapter normalised, and the same as the core keeps it (src/queue/inbox.ts). */
  const accepted: InboundEvent[] = [];
  const kept: InboundEvent[] = [];
  const app = await createHttpServer({ bodyLimit: 1_048_576, trustProxy: false, log });
  mountWebhooks(app, {
    channel: (id) => (id === adapter.id ? adapter : undefined),
    inbox: {
      async accept(events): Promise<InboxItem[]> {
        accepted.push(...events);
        kept.push(...events.map((e) => normalizeInbound(e, defaultInputLimits)));
        return events.map((event, i) => ({ id: i + 1, channelId: event.channelId, eventId: event.eventId, convKey: '', event, attempts: 0, receivedAt: 0 }));
      },
    },
    passiveReply: async () => undefined,
    now: () => Date.now(),
    log,
  });
  await app.ready();
  return { app, accepted, kept, failures };
}

async function post(
  app: FastifyInstance,
  adapter: ChannelAdapter,
  req: { body: Buffer | string; headers: Record<string, string | undefined>; query: Record<string, string | undefined> },
) {
  const query = new URLSearchParams(Object.entries(req.query).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  const headers = Object.fromEntries(Object.entries(req.headers).filter((e): e is [string, string] => e[1] !== undefined));
  return app.inject({ method: 'POST', url: `/webhooks/${adapter.id}${query ? `?${query}` : ''}`, headers, payload: req.body });
}

/** What every event handed to the inbox must be, whatever came in; and once the core has normalised it, storable. */
function expectSound(server: Awaited<ReturnType<typeof webhookServer>>, from: number, adapter: ChannelAdapter): void {
  for (const event of server.accepted.slice(from)) {
    expect(event.channelId).toBe(adapter.id);
    expect(event.ref.channelId).toBe(adapter.id);
    expect(typeof event.eventId === 'string' && event.eventId.length > 0).toBe(true);
    expect(typeof event.ref.chatId).toBe('string');
  }
  for (const { raw: _raw, ...event } of server.kept.slice(from)) {
    const json = JSON.stringify(event);
    expect(json).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/);
  }
}

/**
 * The suite every adapter's webhook runs: arbitrary bodies, headers and signatures through the
 * real webhook route, and real payloads mutated and then signed. Never a 5xx, never an error
 * logged, nothing handed to the inbox for a refused request, and what is handed to it is sound.
 */
export function describeWebhookFuzz(subject: FuzzSubject): void {
  describe(`webhook fuzz: ${subject.name}`, () => {
    let adapter: ChannelAdapter;
    let server: Awaited<ReturnType<typeof webhookServer>>;
    let seeds: string[];

    beforeAll(async () => {
      adapter = await subject.create();
      server = await webhookServer(adapter);
      seeds = await subject.seeds();
    });
    afterAll(() => server?.app.close());

    it('refuses arbitrary requests without a 5xx, and hands nothing on for a refused one', async () => {
      const value = fc.string({ unit: 'binary', maxLength: 200 });
      const request = fc.record({
        body: fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 2000 }),
          fc.json({ maxDepth: 3 }),
        ),
        headers: fc.dictionary(fc.constantFrom(...subject.headers, 'content-type', 'authorization'), value, { maxKeys: 4 }),
        query: fc.dictionary(fc.constantFrom(...(subject.query ?? ['q'])), value, { maxKeys: 4 }),
      });
      await fc.assert(
        fc.asyncProperty(request, async (req) => {
          const before = server.accepted.length;
          const res = await post(server.app, adapter, req);
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) expect(server.accepted.length).toBe(before);
          expectSound(server, before, adapter);
        }),
        { numRuns: RUNS, ...SEED },
      );
      expect(server.failures).toEqual([]);
    });

    it.skipIf(!subject.sign)('takes real payloads mutated and signed without a 5xx; what it accepts is sound', async () => {
      for (const body of subject.regressions?.() ?? []) {
        const signed = await (subject.sign as NonNullable<FuzzSubject['sign']>)(body);
        const before = server.accepted.length;
        expect((await post(server.app, adapter, signed)).statusCode).toBeLessThan(500);
        expectSound(server, before, adapter);
      }
      const edits = subject.format === 'json' ? jsonEdits : textEdits;
      let passed = 0;
      await fc.assert(
        fc.asyncProperty(fc.nat(), edits, async (pick, change) => {
          const seed = seeds[pick % seeds.length] as string;
          const body =
            subject.format === 'json'
              ? mutateJson(seed, change as { at: number; value: unknown }[])
              : mutateText(seed, change as { at: number; cut: number; insert: string }[]);
          const signed = await (subject.sign as NonNullable<FuzzSubject['sign']>)(body);
          const before = server.accepted.length;
          const res = await post(server.app, adapter, { body: signed.body, headers: signed.headers, query: signed.query });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400) expect(server.accepted.length).toBe(before);
          else passed += 1;
          expectSound(server, before, adapter);
        }),
        { numRuns: RUNS, ...SEED },
      );
      expect(server.failures).toEqual([]);
      // The signing is right: mutations pass verification and reach normalize (most are then
      // refused as malformed by the strict ones, the web chat's frames and WeChat's XML).
      expect(passed).toBeGreaterThan(0);
    });
  });
}
