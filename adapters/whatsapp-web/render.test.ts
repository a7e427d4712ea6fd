import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import { sampleOutbound } from '../../test/contract/adapter-contract.js';
import { whatsappWebCapabilities } from './capabilities.js';
import { convertMarkup } from '../../src/core/markup.js';

const toWhatsAppText = (text: string, markup: 'plain' | 'markdown') => convertMarkup(text, markup, 'whatsapp');
import { renderMessage } from './render.js';

const ref = { channelId: 'wa-web', chatId: '491701234567@c.us', userId: '491701234567@c.us' };
const t = (key: string) => (key === 'degrade.reply_with_number' ? 'Reply with the number of your choice.' : key);

describe('toWhatsAppText', () => {
  it('writes bold and italic the WhatsApp way and links as "label (url)"', () => {
    expect(toWhatsAppText('**Shipped** _today_ — [track](https://t.example/1?a=1&b=2)', 'markdown')).toBe(
      '*Shipped* _today_ — track (https://t.example/1?a=1&b=2)',
    );
    expect(toWhatsAppText('see https://shop.example/faq.', 'markdown')).toBe('see https://shop.example/faq.');
    expect(toWhatsAppText('**a**b', 'plain')).toBe('**a**b');
  });
});

describe('renderMessage', () => {
  it('text in WhatsApp formatting, quoting the message it replies to', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: '**Hi** Jonas', markup: 'markdown' }], replyTo: 'false_491701234567@c.us_A5F1' }, ref)).toEqual([
      { type: 'text', text: '*Hi* Jonas', quotedMessageId: 'false_491701234567@c.us_A5F1' },
    ]);
  });

  it('media by URL; a short text before an image becomes its caption; files keep their name', () => {
    expect(
      renderMessage(
        {
          parts: [
            { kind: 'text', text: 'Your parcel' },
            { kind: 'image', url: 'https://cdn.example/p.jpg' },
          ],
        },
        ref,
      ),
    ).toEqual([{ type: 'media', kind: 'image', url: 'https://cdn.example/p.jpg', caption: 'Your parcel' }]);
    expect(renderMessage({ parts: [{ kind: 'file', url: 'https://cdn.example/i.pdf', name: 'invoice.pdf', mimeType: 'application/pdf' }] }, ref)).toEqual([
      { type: 'media', kind: 'file', url: 'https://cdn.example/i.pdf', filename: 'invoice.pdf', mimeType: 'application/pdf' },
    ]);
    expect(renderMessage({ parts: [{ kind: 'audio', url: 'https://cdn.example/a.ogg' }] }, ref)).toEqual([
      { type: 'media', kind: 'audio', url: 'https://cdn.example/a.ogg' },
    ]);
  });

  it('a long text stays a text before the media', () => {
    const text = 'x'.repeat(1500);
    expect(
      renderMessage(
        {
          parts: [
            { kind: 'text', text },
            { kind: 'image', url: 'https://cdn.example/p.jpg' },
          ],
        },
        ref,
      ),
    ).toEqual([
      { type: 'text', text },
      { type: 'media', kind: 'image', url: 'https://cdn.example/p.jpg' },
    ]);
  });

  it('location pin', () => {
    expect(renderMessage({ parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' }] }, ref)).toEqual([
      { type: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' },
    ]);
  });

  it('renders every degraded contract sample to JSON-safe payloads, choices as numbered text', () => {
    for (const message of sampleOutbound) {
      for (const piece of degrade(message, whatsappWebCapabilities, t).messages) {
        const payloads = renderMessage(piece, ref);
        expect(payloads.length).toBeGreaterThan(0);
        expect(JSON.parse(JSON.stringify(payloads))).toEqual(renderMessage(piece, ref));
        for (const p of payloads) if (p.type === 'text') expect(p.text.length).toBeLessThanOrEqual(4096);
      }
    }
    const pickOne = sampleOutbound.find((m) => m.parts.some((p) => p.kind === 'choices' && p.choices.length === 5)) ?? { parts: [] };
    const [pick = { parts: [] }] = degrade(pickOne, whatsappWebCapabilities, t).messages;
    const text = renderMessage(pick, ref)[0];
    expect(text).toMatchObject({ type: 'text' });
    expect(text?.type === 'text' && text.text).toContain('1. Option number 1 with a long label');
    expect(text?.type === 'text' && text.text).toContain('5. Option number 5 with a long label');
  });

  it('leftovers the core should have degraded become text, never vanish', () => {
    expect(renderMessage({ parts: [{ kind: 'contact', name: 'Pawsome support', phone: '+49 30 1234567' }] }, ref)).toEqual([
      { type: 'text', text: 'Pawsome support\n+49 30 1234567' },
    ]);
    expect(
      renderMessage(
        {
          parts: [
            {
              kind: 'choices',
              choices: [
                { label: 'Yes', payload: 'y' },
                { label: 'No', payload: 'n' },
              ],
            },
          ],
        },
        ref,
      ),
    ).toEqual([{ type: 'text', text: '1. Yes\n2. No' }]);
  });
});
