import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countSegments, smsEncoding, splitSms } from './segments.js';

const official = JSON.parse(readFileSync(new URL('./fixtures/segment_vectors.json', import.meta.url), 'utf8')) as {
  vectors: { testDescription: string; body: string; encoding: 'GSM-7' | 'UCS-2'; segments: number }[];
};

describe('SMS segments', () => {
  it.each(official.vectors.map((v) => [v.testDescription, v] as const))("Twilio's calculator: %s", (_name, v) => {
    expect(countSegments(v.body)).toMatchObject({ encoding: v.encoding, segments: v.segments });
  });

  it('GSM-7: 160 in one segment, then 153 a segment; extension characters count twice', () => {
    expect(countSegments('a'.repeat(160)).segments).toBe(1);
    expect(countSegments('a'.repeat(161)).segments).toBe(2);
    expect(countSegments('a'.repeat(306)).segments).toBe(2);
    expect(countSegments('a'.repeat(307)).segments).toBe(3);
    expect(countSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(countSegments('€'.repeat(81)).segments).toBe(2);
    // An escape pair is never split across segments: 152 + '€' does not fit 153.
    expect(countSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`).segments).toBe(2);
    expect(countSegments('').segments).toBe(0);
  });

  it('UCS-2: 70 in one segment, then 67; one character outside GSM 03.38 makes the whole text UCS-2', () => {
    expect(smsEncoding('Hola, ¿qué tal? ¡Envío gratis!')).toBe('UCS-2');
    expect(smsEncoding('Hola, ¿que tal? ¡Envio gratis! Ça coûte 5€')).toBe('UCS-2');
    expect(smsEncoding('Hola, ¿que tal? Ça va, 5€ [ok]')).toBe('GSM-7');
    expect(countSegments('é'.repeat(70)).encoding).toBe('GSM-7');
    expect(countSegments('á'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(countSegments('á'.repeat(71)).segments).toBe(2);
    expect(countSegments('á'.repeat(134)).segments).toBe(2);
    expect(countSegments('á'.repeat(135)).segments).toBe(3);
  });
});

describe('splitSms', () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

  it('keeps a short reply whole', () => {
    expect(splitSms('Your order shipped.', { maxSegments: 10, maxChars: 1600 })).toEqual(['Your order shipped.']);
  });

  it('cuts at word boundaries into bodies of at most maxSegments segments, losing no word', () => {
    const text = words(400);
    for (const maxSegments of [1, 3, 10]) {
      const bodies = splitSms(text, { maxSegments, maxChars: 1600 });
      expect(bodies.join(' ')).toBe(text);
      for (const b of bodies) expect(countSegments(b).segments).toBeLessThanOrEqual(maxSegments);
      // Every body but the last fills its segments nearly whole: no half-empty segment paid for.
      for (const b of bodies.slice(0, -1)) expect(countSegments(b).units).toBeGreaterThan((maxSegments === 1 ? 160 : 153 * maxSegments) - 12);
    }
  });

  it('measures each body in its own encoding and keeps within 1600 characters', () => {
    const spanish = '¿Cuánto tarda el envío a Alemania? Entre dos y tres días laborables. '.repeat(40).trim();
    const bodies = splitSms(spanish, { maxSegments: 10, maxChars: 1600 });
    for (const b of bodies) {
      expect(countSegments(b)).toMatchObject({ encoding: 'UCS-2' });
      expect(countSegments(b).segments).toBeLessThanOrEqual(10);
    }
    // Cut after a sentence, not inside one.
    expect(bodies[0]).toMatch(/(laborables\.|Alemania\?)$/);
    const gsm = splitSms('a '.repeat(1000).trim(), { maxSegments: 10, maxChars: 1600 });
    expect(gsm[0]?.length).toBeLessThanOrEqual(1530);
    expect(splitSms('x'.repeat(3000), { maxSegments: 10, maxChars: 1000 })[0]).toHaveLength(1000);
  });

  it('never cuts an emoji in half', () => {
    const bodies = splitSms('😀'.repeat(100), { maxSegments: 1, maxChars: 1600 });
    expect(bodies.join('')).toBe('😀'.repeat(100));
    for (const b of bodies) expect(b).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });
});
