import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Answerer, AnswerRequest, TurnMedia } from '../core/answerer.js';
import { plainText } from '../core/message.js';
import { type Localizer, loadLocales } from '../language/i18n.js';
import { projectRoot } from '../server/gateway.js';
import { strings } from '../../test/support/locales.js';
import { createKnowledgeAnswerer, DEFAULT_MIN_CONFIDENCE } from './kb-answerer.js';
import { KnowledgeBase } from './knowledge/index.js';
import { MEDIA_REVIEW, withMediaReview } from './media.js';

let localizer: Localizer;
let knowledge: Answerer;
beforeAll(async () => {
  localizer = await loadLocales(join(projectRoot, 'locales'));
  knowledge = createKnowledgeAnswerer(await KnowledgeBase.load(join(projectRoot, 'config/knowledge'), { workingLanguage: 'en' }), {
    minConfidence: DEFAULT_MIN_CONFIDENCE,
  });
});

const caps = { maxTextLength: 4096, markup: 'plain', buttons: false, list: false, cards: false, media: [], typing: false, edit: false } as const;
const request = (language: string, text: string, media: TurnMedia[]): AnswerRequest => ({
  conversationId: 'c1',
  text,
  language,
  t: localizer.forLanguage(language),
  capabilities: caps,
  media,
});
const photo: TurnMedia = { kind: 'image', mimeType: 'image/jpeg', load: async () => new Uint8Array([0xff, 0xd8, 0xff]) };

describe('withMediaReview (no transcriber, no vision model)', () => {
  it.each(localizerLanguages())('%s: a voice note alone gets the honest reply in that language and goes to a person', async (lng) => {
    const offline = withMediaReview(knowledge, () => false);
    const answer = await offline.answer(request(lng, '', [{ kind: 'audio', mimeType: 'audio/ogg', problem: 'no_transcriber' }]));
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
    expect(plainText(answer.parts)).toBe(strings(lng).media_voice);
    if (lng !== 'en') expect(strings(lng).media_voice).not.toBe(strings('en').media_voice);
    const shown = await offline.answer(request(lng, '', [photo]));
    expect(plainText(shown.parts)).toBe(strings(lng).media_photo);
    expect(strings(lng, 'console').reason.media_review).toBeTruthy();
  });

  it('a caption is still read: the policy article goes with the notice, then a person', async () => {
    const offline = withMediaReview(knowledge, () => false);
    const answer = await offline.answer(request('en', 'My order arrived damaged', [photo]));
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
    expect(answer.sources).toEqual(['damaged-items']);
    const text = plainText(answer.parts);
    expect(text.startsWith(strings('en').media_photo)).toBe(true);
    expect(text).toContain('replacement free of charge');
  });

  it('a caption the knowledge base cannot answer adds no "could you rephrase?" to the notice', async () => {
    const answer = await withMediaReview(knowledge, () => false).answer(request('de', 'hmm', [photo]));
    expect(plainText(answer.parts)).toBe(strings('de').media_photo);
  });

  it('says which failed: a voice note the transcriber could not hear, media that never arrived, video, file', async () => {
    const offline = withMediaReview(knowledge, () => false);
    const answer = await offline.answer(
      request('es', '', [
        { kind: 'audio', problem: 'transcription_failed' },
        { kind: 'audio', problem: 'fetch_failed' },
        { kind: 'image', problem: 'too_large' },
        { kind: 'video', load: photo.load as () => Promise<Uint8Array> },
        { kind: 'file', mimeType: 'application/pdf', load: photo.load as () => Promise<Uint8Array> },
      ]),
    );
    const es = strings('es');
    expect(answer.parts.map((p) => (p.kind === 'text' ? p.text : ''))).toEqual([es.media_voice_failed, es.media_failed, es.media_video, es.media_file]);
    // A voice note that never arrived was not listened to at all: "couldn't receive", not "couldn't make out".
    const lost = await offline.answer(request('es', '', [{ kind: 'audio', problem: 'fetch_failed' }]));
    expect(plainText(lost.parts)).toBe(es.media_failed);
  });

  it('a transcribed voice note is answered like typed text, with no handoff', async () => {
    const answer = await withMediaReview(knowledge, () => false).answer(
      request('en', 'How long does shipping to Germany take?', [{ kind: 'audio', transcribed: true }]),
    );
    expect(answer.handoff).toBeUndefined();
    expect(answer.sources).toEqual(['shipping-germany']);
  });

  it('a responder that fails on a photo it sees (bytes gone, a bug) hands over honestly instead of apologising', async () => {
    const broken: Answerer = {
      answer: async () => {
        throw new Error('media store unreachable');
      },
    };
    const answer = await withMediaReview(broken, () => true).answer(request('fr', '', [photo]));
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
    expect(plainText(answer.parts)).toBe(strings('fr').media_failed);
  });

  it('a responder that sees photos answers them itself; its handoff names the photo', async () => {
    const seen: AnswerRequest[] = [];
    const vision: Answerer = {
      async answer(r) {
        seen.push(r);
        return { parts: [], confidence: 1, sources: [], handoff: { reason: 'complaint' } };
      },
    };
    const answer = await withMediaReview(vision, (m) => m.kind === 'image' && Boolean(m.load)).answer(request('en', '', [photo]));
    expect(seen[0]?.media).toEqual([photo]);
    expect(answer.handoff).toEqual({ reason: MEDIA_REVIEW });
  });
});

function localizerLanguages(): string[] {
  return readdirSync(join(projectRoot, 'locales'));
}
