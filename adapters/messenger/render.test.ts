import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/message.js';
import { humanAgentPayloads, renderMessage } from './render.js';

const messenger = { buttonTemplate: true };
const instagram = { buttonTemplate: false, maxTextBytes: 1000 };
const sizes = [
  { label: 'Small', payload: 'size.s' },
  { label: 'Large', payload: 'size.l' },
];

describe('renderMessage (Send API bodies)', () => {
  it('text with payload choices is one text with quick replies, messaging_type RESPONSE', () => {
    const message: OutboundMessage = {
      parts: [
        { kind: 'text', text: 'Which size?' },
        { kind: 'choices', choices: sizes },
      ],
    };
    expect(renderMessage(message, messenger)).toEqual([
      {
        messaging_type: 'RESPONSE',
        message: {
          text: 'Which size?',
          quick_replies: [
            { content_type: 'text', title: 'Small', payload: 'size.s' },
            { content_type: 'text', title: 'Large', payload: 'size.l' },
          ],
        },
      },
    ]);
  });

  it('links among at most three choices: a button template on Messenger, "label: url" lines on Instagram', () => {
    const choices = [{ label: 'Track', payload: 'track', url: 'https://shop.example/t/1' }, ...sizes];
    const message: OutboundMessage = {
      parts: [
        { kind: 'text', text: 'Your order' },
        { kind: 'choices', choices },
      ],
    };
    expect(renderMessage(message, messenger)[0]?.message).toEqual({
      attachment: {
        type: 'template',
        payload: {
          template_type: 'button',
          text: 'Your order',
          buttons: [
            { type: 'web_url', title: 'Track', url: 'https://shop.example/t/1' },
            { type: 'postback', title: 'Small', payload: 'size.s' },
            { type: 'postback', title: 'Large', payload: 'size.l' },
          ],
        },
      },
    });
    const ig = renderMessage(message, instagram).map((p) => p.message);
    expect(ig).toEqual([{ text: 'Your order\n\nTrack: https://shop.example/t/1' }, { text: 'Small · Large', quick_replies: expect.any(Array) }]);
  });

  it('consecutive cards are one generic template (a carousel), ten elements at most', () => {
    const card = (i: number) => ({
      kind: 'card' as const,
      title: `Bed ${i}`,
      subtitle: 'Washable',
      price: '€39.90',
      imageUrl: `https://shop.example/${i}.jpg`,
      url: `https://shop.example/${i}`,
      buttons: [{ label: 'Buy', payload: `buy.${i}` }],
    });
    const payloads = renderMessage({ parts: Array.from({ length: 12 }, (_, i) => card(i)) }, instagram);
    expect(payloads).toHaveLength(2);
    const first = payloads[0]?.message as { attachment: { payload: { template_type: string; elements: unknown[] } } };
    expect(first.attachment.payload.template_type).toBe('generic');
    expect(first.attachment.payload.elements).toHaveLength(10);
    expect(first.attachment.payload.elements[0]).toEqual({
      title: 'Bed 0',
      subtitle: 'Washable · €39.90',
      image_url: 'https://shop.example/0.jpg',
      default_action: { type: 'web_url', url: 'https://shop.example/0' },
      buttons: [{ type: 'postback', title: 'Buy', payload: 'buy.0' }],
    });
  });

  it('media go by URL, a caption as a text before', () => {
    expect(renderMessage({ parts: [{ kind: 'image', url: 'https://shop.example/a.jpg', caption: 'Your parcel' }] }, messenger).map((p) => p.message)).toEqual([
      { text: 'Your parcel' },
      { attachment: { type: 'image', payload: { url: 'https://shop.example/a.jpg', is_reusable: true } } },
    ]);
  });

  it('Instagram: a text of 1,000 UTF-8 bytes or more is split so each piece fits', () => {
    const text = 'é'.repeat(900);
    const payloads = renderMessage({ parts: [{ kind: 'text', text }] }, instagram);
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(Buffer.byteLength((p.message as { text: string }).text)).toBeLessThan(1000);
    expect(payloads.map((p) => (p.message as { text: string }).text).join('')).toBe(text);
  });

  it('after the window, the same bodies go tagged HUMAN_AGENT', () => {
    const [p] = humanAgentPayloads(renderMessage({ parts: [{ kind: 'text', text: 'Hi, Ana from the shop here.' }] }, messenger));
    expect(p).toEqual({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Hi, Ana from the shop here.' } });
  });
});
