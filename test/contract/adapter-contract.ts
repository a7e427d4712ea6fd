import { describe, expect, it } from 'vitest';
import type { ChannelAdapter, RawRequest } from '../../src/core/adapter.js';
import { degrade } from '../../src/core/degrade.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { richCapabilities } from '../../src/core/capabilities.js';

/**
 * What an adapter's test gives the shared contract suite.
 *
 * @example
 * ```ts
 * describeAdapterContract({
 *   name: 'telegram',
 *   create: () => createTelegram(config, ctx),
 *   validRequests: () => fixtures.map((f) => signed(f)),
 * });
 * ```
 */
export interface ContractSubject {
  name: string;
  create(): ChannelAdapter;
  /** Real platform payloads as signed requests the adapter must accept. */
  validRequests(): RawRequest[] | Promise<RawRequest[]>;
  /** Turns a valid request into one that must fail verification; default flips a body byte. */
  tamper?(req: RawRequest): RawRequest;
}

const en: Record<string, string> = {
  'degrade.reply_with_number': 'Reply with the number of your choice.',
};
const t = (key: string) => en[key] ?? key;

/** Messages every adapter must render after the core has degraded them. */
export const sampleOutbound: OutboundMessage[] = [
  { parts: [{ kind: 'text', text: 'Hello & welcome to <Pawsome>!' }] },
  { parts: [{ kind: 'text', text: '**Shipping** to Germany takes 2–3 days. [Track](https://example.com/t?a=1&b=2)', markup: 'markdown' }] },
  { parts: [{ kind: 'text', text: 'x'.repeat(12_000) }] },
  {
    parts: [
      { kind: 'text', text: 'Pick one' },
      { kind: 'choices', choices: Array.from({ length: 5 }, (_, i) => ({ label: `Option number ${i + 1} with a long label`, payload: `opt.${i + 1}` })) },
    ],
  },
  {
    parts: [
      {
        kind: 'choices',
        choices: [
          { label: 'Yes', payload: 'yes' },
          { label: 'No', payload: 'no' },
        ],
      },
    ],
  },
  {
    parts: [
      {
        kind: 'card',
        title: 'Cosy dog bed',
        subtitle: 'Washable, 80 cm',
        price: '€39.90',
        imageUrl: 'https://example.com/bed.jpg',
        url: 'https://example.com/bed',
        buttons: [{ label: 'Buy', payload: 'buy.bed' }],
      },
    ],
  },
  { parts: [{ kind: 'image', url: 'https://example.com/a.jpg', caption: 'Your parcel' }] },
  { parts: [{ kind: 'video', url: 'https://example.com/a.mp4' }] },
  { parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' }] },
];

function flipByte(req: RawRequest): RawRequest {
  const body = Buffer.from(req.body);
  if (body.length === 0) return { ...req, headers: { ...req.headers, authorization: 'Bearer forged' } };
  const i = Math.floor(body.length / 2);
  body[i] = (body[i] ?? 0) ^ 0x01;
  return { ...req, body };
}

/** The suite every adapter runs: verification, normalisation and rendering behave the same way. */
export function describeAdapterContract(subject: ContractSubject): void {
  describe(`adapter contract: ${subject.name}`, () => {
    it('declares sane capabilities', () => {
      const caps = subject.create().capabilities;
      expect(caps.maxTextLength).toBeGreaterThan(0);
      if (caps.buttons) expect(caps.buttons.max).toBeGreaterThan(0);
      expect(Array.isArray(caps.media)).toBe(true);
    });

    it('accepts real signed requests and normalises them to events of this channel', async () => {
      const adapter = subject.create();
      const requests = await subject.validRequests();
      expect(requests.length).toBeGreaterThan(0);
      for (const req of requests) {
        const verified = await adapter.verify(req);
        expect(verified.ok, `verify ${req.url}`).toBe(true);
        if (!verified.ok) continue;
        const first = adapter.normalize(verified.request);
        expect(first.ack.status).toBeLessThan(300);
        for (const event of first.events) {
          expect(event.channelId).toBe(adapter.id);
          expect(event.ref.channelId).toBe(adapter.id);
          expect(event.eventId).toBeTruthy();
          expect(event.ref.chatId).toBeTruthy();
        }
        // Pure: the same request normalises to the same events (dedupe relies on stable ids).
        expect(adapter.normalize(verified.request).events.map((e) => e.eventId)).toEqual(first.events.map((e) => e.eventId));
      }
    });

    it('rejects a tampered request', async () => {
      const adapter = subject.create();
      const [req] = await subject.validRequests();
      if (!req) throw new Error('no valid request to tamper with');
      const result = await adapter.verify((subject.tamper ?? flipByte)(req));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.status).toBe(401);
    });

    it('renders every degraded sample message, purely', () => {
      const adapter = subject.create();
      const ref = { channelId: adapter.id, chatId: 'chat-1', userId: 'user-1' };
      for (const message of sampleOutbound) {
        for (const piece of degrade(message, adapter.capabilities ?? richCapabilities, t).messages) {
          const payloads = adapter.render(piece, ref);
          expect(payloads.length).toBeGreaterThan(0);
          expect(JSON.parse(JSON.stringify(payloads))).toEqual(adapter.render(piece, ref));
        }
      }
    });
  });
}
