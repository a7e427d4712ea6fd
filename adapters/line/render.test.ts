import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { lineCapabilities } from './capabilities.js';
import { renderMessage } from './render.js';

const en = JSON.parse(readFileSync(new URL('../../locales/en/degrade.json', import.meta.url), 'utf8')) as Record<string, string>;
const t = (key: string, vars: Record<string, unknown> = {}) =>
  (en[key.replace(/^degrade\./, '')] ?? key).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(vars[name] ?? ''));
const caps = lineCapabilities({ video: true });

/** Degrade for LINE, then render each piece, as the pipeline does. */
function pipeline(message: OutboundMessage, options = { videoPreviewImageUrl: 'https://cdn.example/poster.jpg' }) {
  return degrade(message, caps, t).messages.map((m) => renderMessage(m, options));
}

const choices = (n: number, label = (i: number) => `Size ${i}`) => Array.from({ length: n }, (_, i) => ({ label: label(i + 1), payload: `size.${i + 1}` }));

describe('LINE render', () => {
  it('text with choices: postback quick replies on the text, payload as data, label as display text', () => {
    const [objects] = pipeline({
      parts: [
        { kind: 'text', text: 'Which size?' },
        { kind: 'choices', choices: choices(2) },
      ],
    });
    expect(objects).toEqual([
      {
        type: 'text',
        text: 'Which size?',
        quickReply: {
          items: [
            { type: 'action', action: { type: 'postback', label: 'Size 1', data: 'size.1', displayText: 'Size 1' } },
            { type: 'action', action: { type: 'postback', label: 'Size 2', data: 'size.2', displayText: 'Size 2' } },
          ],
        },
      },
    ]);
  });

  it('13 choices fit as quick replies with labels of at most 20 characters; 14 become numbered text', () => {
    const [thirteen] = pipeline({
      parts: [
        { kind: 'text', text: 'Pick' },
        { kind: 'choices', choices: choices(13, (i) => `Label ${i} with a few more words`) },
      ],
    });
    const items = thirteen?.[0]?.quickReply?.items ?? [];
    expect(items).toHaveLength(13);
    for (const item of items) expect((item.action as { label: string }).label.length).toBeLessThanOrEqual(20);

    const [fourteen] = pipeline({
      parts: [
        { kind: 'text', text: 'Pick' },
        { kind: 'choices', choices: choices(14) },
      ],
    });
    expect(fourteen).toHaveLength(1);
    expect(fourteen?.[0]).not.toHaveProperty('quickReply');
    expect(fourteen?.[0]?.text).toContain('14. Size 14');
  });

  it('link choices become uri quick replies', () => {
    const [objects] = pipeline({
      parts: [
        { kind: 'text', text: 'More' },
        { kind: 'choices', choices: [{ label: 'Track parcel', payload: 'track', url: 'https://example.com/t' }] },
      ],
    });
    expect(objects?.[0]?.quickReply?.items).toEqual([{ type: 'action', action: { type: 'uri', label: 'Track parcel', uri: 'https://example.com/t' } }]);
  });

  it('choices alone ride on a text naming them', () => {
    const [objects] = pipeline({
      parts: [
        {
          kind: 'choices',
          choices: [
            { label: 'Yes', payload: 'yes' },
            { label: 'No', payload: 'no' },
          ],
        },
      ],
    });
    expect(objects).toHaveLength(1);
    expect(objects?.[0]).toMatchObject({ type: 'text', text: 'Yes / No' });
    expect(objects?.[0]?.quickReply?.items).toHaveLength(2);
  });

  it('a product card is a Flex bubble with hero image, title, subtitle, price and footer buttons', () => {
    const [objects] = pipeline({
      parts: [
        {
          kind: 'card',
          title: 'Cosy dog bed',
          subtitle: 'Washable, 80 cm',
          price: '€39.90',
          imageUrl: 'https://example.com/bed.jpg',
          url: 'https://example.com/bed',
          buttons: [
            { label: 'Buy', payload: 'buy.bed' },
            { label: 'Details', payload: 'details', url: 'https://example.com/bed#details' },
          ],
        },
      ],
    });
    expect(objects).toHaveLength(1);
    type Box = { contents: { text?: string; action?: unknown }[] };
    const flex = objects?.[0] as { type: string; altText: string; contents: { type: string; hero: unknown; body: Box; footer: Box } };
    expect(flex.type).toBe('flex');
    expect(flex.altText).toBe('Cosy dog bed · €39.90');
    const bubble = flex.contents;
    expect(bubble.type).toBe('bubble');
    expect(bubble.hero).toMatchObject({ type: 'image', url: 'https://example.com/bed.jpg', action: { type: 'uri', uri: 'https://example.com/bed' } });
    expect(bubble.body.contents.map((c) => c.text)).toEqual(['Cosy dog bed', 'Washable, 80 cm', '€39.90']);
    expect(bubble.footer.contents.map((c) => c.action)).toEqual([
      { type: 'postback', label: 'Buy', data: 'buy.bed', displayText: 'Buy' },
      { type: 'uri', label: 'Details', uri: 'https://example.com/bed#details' },
    ]);
  });

  it('image with caption, video with the configured poster, location and sticker', () => {
    expect(pipeline({ parts: [{ kind: 'image', url: 'https://example.com/a.jpg', caption: 'Your parcel' }] })[0]).toEqual([
      { type: 'image', originalContentUrl: 'https://example.com/a.jpg', previewImageUrl: 'https://example.com/a.jpg' },
      { type: 'text', text: 'Your parcel' },
    ]);
    expect(pipeline({ parts: [{ kind: 'video', url: 'https://example.com/a.mp4' }] })[0]).toEqual([
      { type: 'video', originalContentUrl: 'https://example.com/a.mp4', previewImageUrl: 'https://cdn.example/poster.jpg' },
    ]);
    expect(pipeline({ parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' }] })[0]).toEqual([
      { type: 'location', title: 'Pawsome HQ', address: '52.37, 4.89', latitude: 52.37, longitude: 4.89 },
    ]);
    expect(renderMessage({ parts: [{ kind: 'sticker', id: '446/1988' }] }, {})).toEqual([{ type: 'sticker', packageId: '446', stickerId: '1988' }]);
    expect(renderMessage({ parts: [{ kind: 'sticker', id: 'tg-abc', emoji: '👍' }] }, {})).toEqual([{ type: 'text', text: '👍' }]);
  });

  it('without a video poster the capabilities leave video out, so degrade sends a link', () => {
    const noVideo = lineCapabilities({ video: false });
    expect(noVideo.media).not.toContain('video');
    const [piece] = degrade({ parts: [{ kind: 'video', url: 'https://example.com/a.mp4' }] }, noVideo, t).messages;
    expect(renderMessage(piece ?? { parts: [] }, {})).toEqual([{ type: 'text', text: expect.stringContaining('https://example.com/a.mp4') }]);
  });

  it('audio needs a duration; without one (or without https) it goes as a link', () => {
    expect(renderMessage({ parts: [{ kind: 'audio', url: 'https://example.com/a.m4a', durationSec: 12.5 }] }, {})).toEqual([
      { type: 'audio', originalContentUrl: 'https://example.com/a.m4a', duration: 12500 },
    ]);
    expect(renderMessage({ parts: [{ kind: 'audio', url: 'https://example.com/a.m4a' }] }, {})).toEqual([{ type: 'text', text: 'https://example.com/a.m4a' }]);
  });

  it('long text is split by degrade into messages of at most 5000 characters', () => {
    const pieces = pipeline({ parts: [{ kind: 'text', text: 'word '.repeat(3000) }] });
    expect(pieces.length).toBeGreaterThan(1);
    for (const objects of pieces) for (const o of objects) expect(String(o.text).length).toBeLessThanOrEqual(5000);
  });
});
