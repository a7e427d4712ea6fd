import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { telegramCapabilities } from './capabilities.js';
import { callbackData, renderMessage } from './render.js';

const ref = { channelId: 'tg-a', chatId: '42', userId: '42' };
const t = (key: string) => key;
const render = (message: OutboundMessage) => degrade(message, telegramCapabilities, t).messages.flatMap((m) => renderMessage(m, ref));

describe('telegram render', () => {
  it('escapes plain text for parse_mode HTML', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: 'Fish & <chips>' }] }, ref)).toEqual([
      { method: 'sendMessage', params: { chat_id: '42', text: 'Fish &amp; &lt;chips&gt;', parse_mode: 'HTML' } },
    ]);
  });

  it('sends degraded markdown as Telegram HTML, escaped once', () => {
    const [payload] = render({ parts: [{ kind: 'text', text: '**Free** shipping & [track](https://t.example/?a=1&b=2)', markup: 'markdown' }] });
    expect(payload?.params).toMatchObject({ text: '<b>Free</b> shipping &amp; <a href="https://t.example/?a=1&amp;b=2">track</a>', parse_mode: 'HTML' });
  });

  it('puts choices as an inline keyboard under the text; link choices become url buttons', () => {
    const payloads = render({
      parts: [
        { kind: 'text', text: 'Which size?' },
        {
          kind: 'choices',
          choices: [
            { label: 'Small', payload: 'size.s' },
            { label: 'Large', payload: 'size.l' },
            { label: 'Size guide', payload: 'guide', url: 'https://shop.example/sizes' },
          ],
        },
      ],
    });
    expect(payloads).toEqual([
      {
        method: 'sendMessage',
        params: {
          chat_id: '42',
          text: 'Which size?',
          parse_mode: 'HTML',
          reply_markup: {
            inline_keyboard: [
              [
                { text: 'Small', callback_data: 'size.s' },
                { text: 'Large', callback_data: 'size.l' },
                { text: 'Size guide', url: 'https://shop.example/sizes' },
              ],
            ],
          },
        },
      },
    ]);
  });

  it('long labels get a row each; buttons alone come with their labels as text', () => {
    const long = (n: number) => ({ label: `Option number ${n} with a long label`, payload: `opt.${n}` });
    const [withLong] = render({
      parts: [
        { kind: 'text', text: 'Pick' },
        { kind: 'choices', choices: [long(1), long(2)] },
      ],
    });
    expect(withLong?.params.reply_markup?.inline_keyboard).toHaveLength(2);
    const [alone] = render({
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
    expect(alone?.params).toMatchObject({
      text: 'Yes · No',
      reply_markup: {
        inline_keyboard: [
          [
            { text: 'Yes', callback_data: 'yes' },
            { text: 'No', callback_data: 'no' },
          ],
        ],
      },
    });
  });

  it('keeps callback_data within 64 bytes by hashing long payloads, deterministically', () => {
    const payload = `order.cancel.${'ü'.repeat(40)}`;
    const data = callbackData(payload);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(data).toMatch(/^h~[\w-]{32}$/);
    expect(callbackData(payload)).toBe(data);
    expect(callbackData('x'.repeat(64))).toBe('x'.repeat(64));
  });

  it('renders a product card natively: photo, linked bold title, subtitle, price, buttons', () => {
    const payloads = render({
      parts: [
        {
          kind: 'card',
          title: 'Cosy <dog> bed',
          subtitle: 'Washable, 80 cm',
          price: '€39.90',
          imageUrl: 'https://example.com/bed.jpg',
          url: 'https://example.com/bed?a=1&b=2',
          buttons: [{ label: 'Buy', payload: 'buy.bed' }],
        },
      ],
    });
    expect(payloads).toEqual([
      {
        method: 'sendPhoto',
        params: {
          chat_id: '42',
          photo: 'https://example.com/bed.jpg',
          caption: '<a href="https://example.com/bed?a=1&amp;b=2"><b>Cosy &lt;dog&gt; bed</b></a>\nWashable, 80 cm\n€39.90',
          parse_mode: 'HTML',
          reply_markup: { inline_keyboard: [[{ text: 'Buy', callback_data: 'buy.bed' }]] },
        },
      },
    ]);
  });

  it('media by URL or Telegram file_id, with escaped captions; long captions follow as text', () => {
    expect(render({ parts: [{ kind: 'image', url: 'https://example.com/a.jpg', caption: 'Your <parcel>' }] })).toEqual([
      { method: 'sendPhoto', params: { chat_id: '42', photo: 'https://example.com/a.jpg', caption: 'Your &lt;parcel&gt;', parse_mode: 'HTML' } },
    ]);
    expect(render({ parts: [{ kind: 'file', url: 'platform:BQAC123', name: 'invoice.pdf' }] })).toEqual([
      { method: 'sendDocument', params: { chat_id: '42', document: 'BQAC123' } },
    ]);
    expect(render({ parts: [{ kind: 'video', url: 'https://example.com/a.mp4' }] })[0]?.method).toBe('sendVideo');
    expect(render({ parts: [{ kind: 'audio', url: 'https://example.com/a.mp3' }] })[0]?.method).toBe('sendAudio');
    expect(render({ parts: [{ kind: 'audio', url: 'platform:AwAD', mimeType: 'audio/ogg' }] })[0]).toEqual({
      method: 'sendVoice',
      params: { chat_id: '42', voice: 'AwAD' },
    });
    expect(render({ parts: [{ kind: 'sticker', id: 'CAAC', emoji: '👍' }] })[0]).toEqual({ method: 'sendSticker', params: { chat_id: '42', sticker: 'CAAC' } });
    const long = render({ parts: [{ kind: 'image', url: 'https://example.com/a.jpg', caption: 'a&'.repeat(600) }] });
    expect(long.map((p) => p.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(long[0]?.params).not.toHaveProperty('caption');
    expect(long[1]?.params).toMatchObject({ text: 'a&amp;'.repeat(600) });
  });

  it('locations become sendLocation, or sendVenue with a name and address', () => {
    expect(render({ parts: [{ kind: 'location', latitude: 52.37, longitude: 4.89, name: 'Pawsome HQ' }] })).toEqual([
      { method: 'sendLocation', params: { chat_id: '42', latitude: 52.37, longitude: 4.89 } },
    ]);
    expect(render({ parts: [{ kind: 'location', latitude: 1, longitude: 2, name: 'HQ', address: 'Main St 1' }] })[0]).toEqual({
      method: 'sendVenue',
      params: { chat_id: '42', latitude: 1, longitude: 2, title: 'HQ', address: 'Main St 1' },
    });
  });

  it('replies to a message and posts into a forum topic', () => {
    const payloads = renderMessage({ parts: [{ kind: 'text', text: 'hi', markup: 'html' }], replyTo: '1365' }, { ...ref, threadId: '77' });
    expect(payloads[0]?.params).toEqual({
      chat_id: '42',
      message_thread_id: 77,
      text: 'hi',
      parse_mode: 'HTML',
      reply_parameters: { message_id: 1365, allow_sending_without_reply: true },
    });
  });

  it('long text arrives split by degrade into messages within 4096', () => {
    const payloads = render({ parts: [{ kind: 'text', text: 'x'.repeat(12_000) }] });
    expect(payloads.length).toBe(3);
    for (const p of payloads) expect(p.method === 'sendMessage' && p.params.text.length <= 4096).toBe(true);
  });
});
