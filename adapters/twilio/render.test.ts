import { describe, expect, it } from 'vitest';
import { degrade } from '../../src/core/degrade.js';
import { twilioCapabilities } from './capabilities.js';
import { renderMessage } from './render.js';
import { countSegments } from './segments.js';

const en: Record<string, string> = { 'degrade.reply_with_number': 'Reply with the number of your choice.', 'degrade.open_link': '{{label}}: {{url}}' };
const t = (key: string, params: Record<string, unknown> = {}) => (en[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ''));

describe('renderMessage', () => {
  it('a short text is one body', () => {
    expect(renderMessage({ parts: [{ kind: 'text', text: 'Your order shipped.' }] }, { maxSegments: 10 })).toEqual([{ body: 'Your order shipped.' }]);
  });

  it('a long text becomes several bodies of at most maxSegments segments each', () => {
    const text = 'Our return policy allows 30 days. '.repeat(60).trim();
    const payloads = renderMessage({ parts: [{ kind: 'text', text }] }, { maxSegments: 3 });
    expect(payloads.length).toBeGreaterThan(3);
    for (const p of payloads) expect(countSegments(p.body ?? '').segments).toBeLessThanOrEqual(3);
    expect(payloads.map((p) => p.body).join(' ')).toBe(text);
  });

  it('with MMS, media go as MediaUrl with the caption as body, consecutive media in one message', () => {
    const payloads = renderMessage(
      {
        parts: [
          { kind: 'image', url: 'https://cdn.example/a.jpg', caption: 'Your parcel' },
          { kind: 'image', url: 'https://cdn.example/b.jpg' },
          { kind: 'file', url: 'platform:123' },
        ],
      },
      { maxSegments: 10 },
    );
    expect(payloads).toEqual([{ body: 'Your parcel', mediaUrls: ['https://cdn.example/a.jpg', 'https://cdn.example/b.jpg'] }]);
  });

  it('without MMS the core has already turned buttons and media into text: every piece renders to bodies', () => {
    const caps = twilioCapabilities({ mms: false, verifiedPhone: true });
    const message = {
      parts: [
        { kind: 'text' as const, text: 'Pick a size' },
        {
          kind: 'choices' as const,
          choices: [
            { label: 'Small', payload: 's' },
            { label: 'Large', payload: 'l' },
          ],
        },
        { kind: 'image' as const, url: 'https://cdn.example/a.jpg' },
      ],
    };
    const rendered = degrade(message, caps, t).messages.flatMap((m) => renderMessage(m, { maxSegments: 10 }));
    const text = rendered.map((p) => p.body).join('\n');
    expect(text).toMatch(/1\. Small/);
    expect(text).toContain('https://cdn.example/a.jpg');
    expect(rendered.every((p) => !p.mediaUrls)).toBe(true);
  });
});
