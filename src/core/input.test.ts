import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cut, defaultInputLimits, hasControlCharacter, normalizeInbound, readable, storable } from './input.js';
import type { InboundEvent, MessageEvent } from './message.js';

const ref = { channelId: 'slack', chatId: 'D1', userId: 'U1' };
const message = (parts: MessageEvent['parts'], extra: Partial<MessageEvent> = {}): MessageEvent => ({
  type: 'message',
  channelId: 'slack',
  eventId: 'e1',
  ref,
  timestamp: 1,
  parts,
  ...extra,
});
const limits = { maxTextLength: 100, maxWordLength: 10 };

describe('storable', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps everything else', () => {
    expect(storable('a\u0000b')).toBe('a\ufffdb');
    expect(storable('x\ud800y\udc00z')).toBe('x\ufffdy\ufffdz');
    expect(storable('😀 tab\there\nline\u0001')).toBe('😀 tab\there\nline\u0001');
  });

  it('always gives well-formed text without NUL', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = storable(s);
        expect(out).not.toContain('\u0000');
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
      }),
      { numRuns: 300 },
    );
  });
});

describe('hasControlCharacter', () => {
  it('finds NUL, other C0 characters, DEL and lone surrogates', () => {
    for (const bad of ['a\u0000', '\u001f', 'x\u007f', '\ud800']) expect(hasControlCharacter(bad)).toBe(true);
    for (const good of ['ord-123', 'C0123:171.2', 'wx_o0p', '😀']) expect(hasControlCharacter(good)).toBe(false);
  });
});

describe('cut and readable', () => {
  it('cuts at a space near the end, with an ellipsis, never inside a surrogate pair', () => {
    expect(cut('short', 10)).toBe('short');
    expect(cut('one two three four', 12)).toBe('one two…');
    expect(cut('😀😀😀', 4)).toBe('😀…');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 50 }), (s, max) => {
        const out = cut(s, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 1));
        expect(storable(out)).toBe(out);
      }),
      { numRuns: 300 },
    );
  });

  it('shortens only the words longer than the cap', () => {
    expect(readable(`key ${'x'.repeat(40)} please`, 10)).toBe('key xxxxxxxxx… please');
    expect(readable('every word fits here', 10)).toBe('every word fits here');
  });
});

describe('normalizeInbound', () => {
  it('makes every string of an event storable, the raw payload aside', () => {
    const event = message([{ kind: 'text', text: 'hi\u0000' }], { ref: { ...ref, chatId: 'D\u00001' }, senderName: 'Ana\ud800', raw: { text: 'hi\u0000' } });
    const out = normalizeInbound(event, defaultInputLimits) as MessageEvent;
    expect(out.parts).toEqual([{ kind: 'text', text: 'hi\ufffd' }]);
    expect(out.ref.chatId).toBe('D\ufffd1');
    expect(out.senderName).toBe('Ana\ufffd');
    expect(out.raw).toEqual({ text: 'hi\u0000' });
    expect(out.textCutFrom).toBeUndefined();
  });

  it("cuts a message's text to maxTextLength in all and says how long it was", () => {
    const out = normalizeInbound(
      message([
        { kind: 'text', text: 'a'.repeat(80) },
        { kind: 'image', url: 'https://x.test/a.jpg', caption: 'b'.repeat(80) },
        { kind: 'text', text: 'c'.repeat(80) },
      ]),
      limits,
    ) as MessageEvent;
    expect(out.textCutFrom).toBe(240);
    expect(out.parts).toHaveLength(2);
    expect(out.parts[0]).toEqual({ kind: 'text', text: 'a'.repeat(80) });
    expect(out.parts[1]).toMatchObject({ kind: 'image', url: 'https://x.test/a.jpg', caption: `${'b'.repeat(19)}…` });
  });

  it('keeps every event within the limits, whatever its strings', () => {
    const text = fc.string({ unit: 'binary', maxLength: 400 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), text, (texts, payload) => {
        const events: InboundEvent[] = [
          message(texts.map((t) => ({ kind: 'text', text: t }))),
          { type: 'postback', channelId: 'slack', eventId: payload, ref, timestamp: 1, payload, label: payload },
        ];
        for (const event of events) {
          const out = normalizeInbound(event, limits);
          const json = JSON.stringify(out);
          expect(json).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/);
          if (out.type === 'message') expect(out.parts.reduce((n, p) => n + (p.kind === 'text' ? p.text.length : 0), 0)).toBeLessThanOrEqual(100);
          if (out.type === 'postback') expect(out.payload.length).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 200 },
    );
  });
});
