import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import type { Choice, OutboundMessage } from '../../src/core/message.js';
import { whatsappCapabilities } from './capabilities.js';
import { toWhatsAppText } from './format.js';
import { renderMessage } from './render.js';

const ref = { channelId: 'wa-test', chatId: '34612345678', userId: '34612345678', extra: { phoneNumberId: '1122334455667' } };
const envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '34612345678' };
const t = (key: string) => ({ 'degrade.choose': 'Choose', 'degrade.reply_with_number': 'Reply with the number.' })[key] ?? key;
const render = (message: OutboundMessage) => renderMessage(message, ref);
/** Degrades for WhatsApp first, as the core does, then renders every piece. */
const pipeline = (message: OutboundMessage) => degrade(message, whatsappCapabilities, t).messages.flatMap(render);
const choices = (n: number, label = (i: number) => `Option ${i}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ label: label(i + 1), payload: `opt.${i + 1}` }));

describe('renderMessage: text', () => {
  it('plain text, with preview_url only when there is a link', () => {
    expect(render({ parts: [{ kind: 'text', text: 'Hola' }] })).toEqual([{ ...envelope, type: 'text', text: { body: 'Hola', preview_url: false } }]);
    expect(render({ parts: [{ kind: 'text', text: 'See https://shop.example/faq' }] })[0]).toMatchObject({ text: { preview_url: true } });
  });

  it('Parley markdown becomes WhatsApp formatting', () => {
    const [payload] = pipeline({ parts: [{ kind: 'text', text: '**Shipped** _today_ — [track it](https://t.example/1?a=1&b=2)', markup: 'markdown' }] });
    expect(payload).toMatchObject({ type: 'text', text: { body: '*Shipped* _today_ — track it (https://t.example/1?a=1&b=2)', preview_url: true } });
    expect(toWhatsAppText('**a** **b**', 'markdown')).toBe('*a* *b*');
    expect(toWhatsAppText('see https://x.example/a_b_c', 'markdown')).toBe('see https://x.example/a_b_c');
    expect(toWhatsAppText('<b>x</b> &amp; y', 'html')).toBe('*x* & y');
  });

  it('quotes the shopper message on the first payload only', () => {
    const payloads = render({
      replyTo: 'wamid.in',
      parts: [
        { kind: 'image', url: 'https://x.example/a.jpg' },
        { kind: 'location', latitude: 1, longitude: 2 },
      ],
    });
    expect(payloads[0]).toMatchObject({ context: { message_id: 'wamid.in' } });
    expect(payloads[1]).not.toHaveProperty('context');
  });

  it('long text stays within 4096 per message after the core splits it', () => {
    const payloads = pipeline({ parts: [{ kind: 'text', text: `${'word '.repeat(2000)}**end**`, markup: 'markdown' }] });
    expect(payloads.length).toBeGreaterThan(1);
    for (const p of payloads) expect(p.type === 'text' && p.text.body.length).toBeLessThanOrEqual(4096);
  });
});

describe('renderMessage: choices', () => {
  it('up to three short choices are reply buttons under the text', () => {
    const payloads = pipeline({
      parts: [
        { kind: 'text', text: 'Which size?' },
        {
          kind: 'choices',
          choices: [
            { label: 'Small', payload: 'size.s' },
            { label: 'Large', payload: 'size.l' },
          ],
        },
      ],
    });
    expect(payloads).toEqual([
      {
        ...envelope,
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Which size?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'size.s', title: 'Small' } },
              { type: 'reply', reply: { id: 'size.l', title: 'Large' } },
            ],
          },
        },
      },
    ]);
  });

  it('more than three become a list with one section; rows ≤ 24 characters', () => {
    const payloads = pipeline({
      parts: [
        { kind: 'text', text: 'Pick one' },
        { kind: 'choices', choices: choices(5, (i) => `Option number ${i} with a long label`) },
      ],
    });
    expect(payloads).toHaveLength(1);
    const [list] = payloads;
    expect(list).toMatchObject({ type: 'interactive', interactive: { type: 'list', body: { text: 'Pick one' }, action: { button: 'Choose' } } });
    const rows = list?.type === 'interactive' && list.interactive.type === 'list' ? list.interactive.action.sections[0]?.rows : [];
    expect(rows?.map((r) => r.id)).toEqual(['opt.1', 'opt.2', 'opt.3', 'opt.4', 'opt.5']);
    for (const r of rows ?? []) expect(r.title.length).toBeLessThanOrEqual(24);
  });

  it('choices without text still carry the required body', () => {
    const [yesNo] = pipeline({
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
    expect(yesNo).toMatchObject({ interactive: { type: 'button', body: { text: 'Yes · No' } } });
    const [titled] = render({ parts: [{ kind: 'choices', title: 'Rate us', choices: choices(2) }] });
    expect(titled).toMatchObject({ interactive: { body: { text: 'Rate us' } } });
  });

  it('a text over 1024 characters goes first on its own, then the buttons', () => {
    const text = 'x'.repeat(1500);
    const payloads = render({
      parts: [
        { kind: 'text', text },
        { kind: 'choices', title: 'Helpful?', choices: choices(2) },
      ],
    });
    expect(payloads.map((p) => p.type)).toEqual(['text', 'interactive']);
    expect(payloads[0]).toMatchObject({ text: { body: text } });
    expect(payloads[1]).toMatchObject({ interactive: { body: { text: 'Helpful?' } } });
  });

  it('link choices: a lone link is a call-to-action button, links beside buttons are body lines', () => {
    const [cta] = render({
      parts: [
        { kind: 'text', text: 'Your parcel' },
        { kind: 'choices', choices: [{ label: 'Track', payload: 'track', url: 'https://t.example/1' }] },
      ],
    });
    expect(cta).toMatchObject({
      interactive: {
        type: 'cta_url',
        body: { text: 'Your parcel' },
        action: { name: 'cta_url', parameters: { display_text: 'Track', url: 'https://t.example/1' } },
      },
    });
    const [mixed] = render({
      parts: [
        { kind: 'text', text: 'Done?' },
        {
          kind: 'choices',
          choices: [
            { label: 'Yes', payload: 'yes' },
            { label: 'Help', payload: 'h', url: 'https://h.example' },
          ],
        },
      ],
    });
    expect(mixed).toMatchObject({
      interactive: { type: 'button', body: { text: 'Done?\n\nHelp: https://h.example' }, action: { buttons: [{ reply: { id: 'yes' } }] } },
    });
  });
});

describe('renderMessage: media and location', () => {
  it('media by link with captions; documents keep their file name', () => {
    expect(render({ parts: [{ kind: 'image', url: 'https://x.example/a.jpg', caption: 'Your parcel' }] })).toEqual([
      { ...envelope, type: 'image', image: { link: 'https://x.example/a.jpg', caption: 'Your parcel' } },
    ]);
    expect(render({ parts: [{ kind: 'video', url: 'https://x.example/a.mp4' }] })[0]).toMatchObject({
      type: 'video',
      video: { link: 'https://x.example/a.mp4' },
    });
    expect(render({ parts: [{ kind: 'audio', url: 'https://x.example/a.ogg' }] })[0]).toMatchObject({
      type: 'audio',
      audio: { link: 'https://x.example/a.ogg' },
    });
    expect(render({ parts: [{ kind: 'file', url: 'https://x.example/i.pdf', name: 'invoice.pdf', caption: 'Invoice' }] })[0]).toMatchObject({
      type: 'document',
      document: { link: 'https://x.example/i.pdf', filename: 'invoice.pdf', caption: 'Invoice' },
    });
  });

  it('media received from WhatsApp is sent back by id', () => {
    expect(render({ parts: [{ kind: 'image', url: 'platform:65463453' }] })[0]).toMatchObject({ image: { id: '65463453' } });
    expect(render({ parts: [{ kind: 'sticker', id: '777' }] })[0]).toMatchObject({ type: 'sticker', sticker: { id: '777' } });
  });

  it('a caption over 1024 characters is sent as text before the media', () => {
    const caption = 'c'.repeat(1100);
    const payloads = render({ parts: [{ kind: 'image', url: 'https://x.example/a.jpg', caption }] });
    expect(payloads.map((p) => p.type)).toEqual(['text', 'image']);
    expect(payloads[1]).toEqual({ ...envelope, type: 'image', image: { link: 'https://x.example/a.jpg' } });
  });

  it('locations', () => {
    expect(render({ parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' }] })).toEqual([
      { ...envelope, type: 'location', location: { latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' } },
    ]);
  });

  it('a product card reaches WhatsApp as text, image and buttons', () => {
    const payloads = pipeline({
      parts: [{ kind: 'card', title: 'Cosy dog bed', price: '€39.90', imageUrl: 'https://x.example/bed.jpg', buttons: [{ label: 'Buy', payload: 'buy.bed' }] }],
    });
    expect(payloads.map((p) => p.type)).toContain('image');
    expect(JSON.stringify(payloads)).toContain('*Cosy dog bed*');
    expect(JSON.stringify(payloads)).toContain('buy.bed');
  });
});
