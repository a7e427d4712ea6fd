import { describe, expect, it } from 'vitest';
import { resolveTemplate, renderTemplate, windowOpen } from './window.js';

const HOUR = 60 * 60 * 1000;

describe('windowOpen', () => {
  const now = 1_700_000_000_000;
  it('is open for 24 hours after the shopper last wrote, then closed', () => {
    expect(windowOpen(now - 23 * HOUR, now)).toBe(true);
    expect(windowOpen(now - 24 * HOUR + 1, now)).toBe(true);
    expect(windowOpen(now - 24 * HOUR, now)).toBe(false);
    expect(windowOpen(now - 30 * HOUR, now)).toBe(false);
  });
  it('is closed when the shopper never wrote', () => {
    expect(windowOpen(undefined, now)).toBe(false);
  });
});

describe('resolveTemplate', () => {
  const templates = { order_shipped: { name: 'order_shipped_v2', languages: { es: 'es', en: 'en_US', 'pt-BR': 'pt_BR' } } };
  it('picks the exact language, then the primary language', () => {
    expect(resolveTemplate(templates, 'order_shipped', 'es')).toEqual({ name: 'order_shipped_v2', languageCode: 'es' });
    expect(resolveTemplate(templates, 'order_shipped', 'en-GB')).toEqual({ name: 'order_shipped_v2', languageCode: 'en_US' });
    expect(resolveTemplate(templates, 'order_shipped', 'pt-br')).toEqual({ name: 'order_shipped_v2', languageCode: 'pt_BR' });
  });
  it('is undefined for an unknown key or language, so the outbox can say why', () => {
    expect(resolveTemplate(templates, 'feedback', 'es')).toBeUndefined();
    expect(resolveTemplate(templates, 'order_shipped', 'de')).toBeUndefined();
    expect(resolveTemplate(templates, 'toString', 'es')).toBeUndefined();
  });
});

describe('renderTemplate', () => {
  it('builds a template message with body parameters in order', () => {
    expect(renderTemplate('order_shipped_v2', 'es', ['Ana', 'A-1042'])).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      type: 'template',
      template: {
        name: 'order_shipped_v2',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Ana' },
              { type: 'text', text: 'A-1042' },
            ],
          },
        ],
      },
    });
  });
  it('omits components without parameters and flattens what Graph refuses in parameters', () => {
    expect(renderTemplate('hello_world', 'en_US')).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      type: 'template',
      template: { name: 'hello_world', language: { code: 'en_US' } },
    });
    const payload = renderTemplate('t', 'en_US', ['line one\nline two\ttab      wide']);
    expect(payload.type === 'template' && payload.template.components?.[0]?.parameters[0]?.text).toBe('line one line two tab    wide');
  });
});
