import { readFileSync } from 'node:fs';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { hmac } from '../../src/core/http.js';
import type { InboundEvent } from '../../src/core/message.js';
import { silentLogger } from '../../src/core/ports.js';
import { PlatformServer, type Received } from './platform-server.js';

/** Test support for the WhatsApp Cloud API adapter: fixtures, signed requests, a local Graph API. */

export const APP_SECRET = 'test-app-secret';

/** A fixture's exact bytes (signatures are over raw bytes). */
export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`../../adapters/whatsapp/fixtures/${name}`, import.meta.url));
}

/** A POST webhook request carrying `body`, signed as Meta signs it. */
export function signedRequest(body: Buffer | string, secret = APP_SECRET): RawRequest {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    method: 'POST',
    url: '/webhooks/wa-test',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${hmac('sha256', secret, bytes, 'hex')}` },
    query: {},
    body: bytes,
  };
}

/** Every webhook body among the fixtures, by name (the recording holds three). */
export function fixtureBodies(): { name: string; body: Buffer }[] {
  const names = [
    'meta_doc_text_message.json',
    ...[
      'interactive_button_reply',
      'interactive_list_reply',
      'interactive_list_reply_with_description',
      'message_audio',
      'message_audio_voice_note',
      'message_contacts',
      'message_document',
      'message_image',
      'message_location_chosen_place',
      'message_location_current',
      'message_reaction',
      'message_reaction_removed',
      'message_referral_ctwa',
      'message_sticker',
      'message_text',
      'message_text_reply_context',
      'message_unsupported',
      'message_video',
      'status_delivered',
      'status_failed',
      'status_read',
      'status_sent',
      'template_quick_reply_button',
    ].map((n) => `pywa_${n}.json`),
  ];
  const recorded = JSON.parse(fixtureBytes('recorded_vercel_chat_dm_whatsapp.json').toString()) as Record<string, unknown>;
  const replays = ['firstMessage', 'secondMessage', 'statusUpdate'].map((k) => ({
    name: `recorded:${k}`,
    body: Buffer.from(JSON.stringify(recorded[k])),
  }));
  return [...names.map((name) => ({ name, body: fixtureBytes(name) })), ...replays];
}

/** An in-memory {@link AdapterContext}; `fetch` is the real one, pointed at a local server by config. */
export function testContext(overrides: Partial<AdapterContext> = {}): AdapterContext & { stateMap: Map<string, string> } {
  const stateMap = new Map<string, string>();
  const base: AdapterContext & { stateMap: Map<string, string> } = {
    channelId: 'wa-test',
    log: silentLogger,
    clock: { now: () => 1_700_000_000_000 },
    fetch: globalThis.fetch,
    webhookPath: '/webhooks/wa-test',
    inbox: { accept: async (_events: InboundEvent[]) => {} },
    state: {
      get: async (key) => stateMap.get(key),
      set: async (key, value) => {
        stateMap.set(key, value);
      },
    },
    leases: { acquire: async () => true, release: async () => {} },
    dataDir: '/tmp/parley-wa-test',
    signingSecret: 'gateway-signing-secret',
    stateMap,
  };
  return Object.assign(base, overrides);
}

/** One request the local Graph server received; `url` keeps the query string. */
export type Recorded = Received;

type Reply = { status?: number; headers?: Record<string, string>; body: string | Buffer | object };

/** A local server speaking the Graph API: answers each request with `handler` and records it. */
export async function graphServer(handler: (req: Recorded, base: string) => Reply): Promise<{ base: string; requests: Recorded[]; close(): Promise<void> }> {
  const server: PlatformServer = await new PlatformServer((req) => {
    const reply = handler(req, server.url);
    const isBytes = typeof reply.body === 'string' || Buffer.isBuffer(reply.body);
    return {
      ...(reply.status ? { status: reply.status } : {}),
      ...(isBytes ? { bytes: Buffer.from(reply.body as string | Buffer) } : { json: reply.body }),
      headers: { 'content-type': isBytes ? 'application/octet-stream' : 'application/json', ...reply.headers },
    };
  }).start();
  return { base: server.url, requests: server.received, close: () => server.stop() };
}
