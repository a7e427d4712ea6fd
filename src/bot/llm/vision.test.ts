import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TurnMedia } from '../../core/answerer.js';
import { silentLogger } from '../../core/ports.js';
import { type ModelScript, ModelServer, sectionTitles, shopperText, userImages } from '../../../test/support/model-server.js';
import { loadKb, request, shown } from '../../../test/support/llm-fixtures.js';
import { strings } from '../../../test/support/locales.js';
import { MEDIA_REVIEW } from '../media.js';
import { createAnswerer } from './create.js';

let script: ModelScript = () => ({ content: 'UNKNOWN' });
const server = new ModelServer((req, i) => script(req, i));
beforeAll(async () => void (await server.start()));
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
});

// A real 1x1 PNG, and a JPEG's first bytes: what the media store hands back.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const photo = (mimeType = 'image/png', data: Buffer = PNG): TurnMedia => ({ kind: 'image', mimeType, load: async () => data });

const config = (vision: boolean) => ({
  knowledge: { dir: 'config/knowledge', minConfidence: 0.55 },
  shop: { name: 'Pawsome Supplies', languages: ['en', 'de'], defaultLanguage: 'en', workingLanguage: 'en', timezone: 'UTC', domains: [] },
  orders: { connector: 'none' as const, file: '', timeoutMs: 5000, codeTtlMs: 600_000 },
  llm: {
    enabled: true,
    baseURL: server.url,
    apiKey: 'k',
    model: 'gpt-4o-mini',
    apiKeyHeader: 'authorization' as const,
    temperature: 0,
    timeoutMs: 2000,
    maxTokens: 300,
    budget: { tokensPerConversation: 0, tokensPerDay: 0 },
    vision,
  },
});

async function build(vision: boolean) {
  return createAnswerer(config(vision), { kb: await loadKb(), log: silentLogger });
}

/** A vision model: a photo of a cracked bowl is a case for a person; a question it can answer from a section, it answers. */
const looking: ModelScript = (req) => {
  if (userImages(req).length && !shopperText(req).includes('size')) return { toolCalls: [{ name: 'handoff_to_human', arguments: { reason: 'complex_case' } }] };
  const title = sectionTitles(req).find((s) => /size/i.test(s));
  return title ? { content: `Return it for a refund and order the size you need.\nSOURCES: ${title}` } : { content: 'UNKNOWN' };
};

describe('photos with a vision model (llm.vision)', () => {
  it('sends the photo as an image content part with the damaged-item policy, and hands over with media_review', async () => {
    script = looking;
    const bot = await build(true);
    const answer = await bot.answer({ ...request('v1', ''), media: [photo()] });
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
    const [call] = server.received;
    expect(userImages(call!)).toEqual([`data:image/png;base64,${PNG.toString('base64')}`]);
    expect(JSON.parse(call!.raw).messages.at(-1).content[1]).toEqual({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` },
    });
    expect(sectionTitles(call!)).toContain('Damaged, faulty or wrong items');
    expect(call!.messages.at(-1)?.content).toContain('The shopper attached a photo');
  });

  it("answers a question about a photo from the knowledge base, checked by the guardrails, in the shopper's language", async () => {
    script = (req) => {
      const title = sectionTitles(req).find((s) => /Umtausch|size|Größe/i.test(s));
      return { content: `Ja, Sie erhalten 50 % Rabatt auf Ihre nächste Bestellung.\nSOURCES: ${title ?? 'none'}` };
    };
    const bot = await build(true);
    const answer = await bot.answer({
      ...request('v2', 'Das Halsband ist zu klein, kann ich es gegen eine andere Größe tauschen?', { language: 'de' }),
      media: [photo()],
    });
    expect(userImages(server.received[0]!)).toHaveLength(1);
    // The invented discount is not passed on: the guardrails hold on a photo turn too.
    expect(shown(answer)).not.toContain('50 %');
  });

  it('a photo the model cannot take (HEIC) or a model without vision: the honest offline notice and a person, no image sent', async () => {
    script = () => ({ content: 'UNKNOWN' });
    const heic = await (await build(true)).answer({ ...request('v3', '', { language: 'de' }), media: [photo('image/heic', Buffer.from('ftypheic'))] });
    expect(heic.handoff).toEqual({ reason: MEDIA_REVIEW });
    expect(shown(heic)).toBe(strings('de').media_photo);
    const blind = await (await build(false)).answer({ ...request('v4', '', { language: 'de' }), media: [photo()] });
    expect(shown(blind)).toBe(strings('de').media_photo);
    expect(server.received.every((r) => userImages(r).length === 0)).toBe(true);
  });

  it('a model that fails on a photo turn falls back to the honest path, not to "could you rephrase?"', async () => {
    script = () => ({ status: 500 });
    const answer = await (await build(true)).answer({ ...request('v5', ''), media: [photo()] });
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
    expect(shown(answer)).toBe(strings('en').media_photo);
  });
});
