import { messagingWindowMs } from './capabilities.js';
import type { WhatsAppTemplate } from './config.js';
import type { WhatsAppPayload } from './wire.js';

/**
 * Whether the 24-hour customer-service window is open: free-form messages may be sent only
 * within 24 h of the shopper's last message; after that, only approved templates.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-messages#customer-service-windows
 *
 * @example
 * ```ts
 * windowOpen(lastInboundAt, clock.now()); // false → send a template or record undeliverable
 * windowOpen(undefined, clock.now());     // false: the shopper never wrote
 * ```
 */
export function windowOpen(lastInboundAt: number | undefined, now: number): boolean {
  return lastInboundAt !== undefined && now - lastInboundAt < messagingWindowMs;
}

/** An approved template picked for one language. */
export interface ResolvedTemplate {
  name: string;
  languageCode: string;
}

/**
 * Picks the approved template configured under `templates.<key>` for the shopper's language:
 * the exact tag (`pt-BR`), then its primary language (`pt`). `undefined` when the key or the
 * language is not configured, so the caller can record the message undeliverable and say why.
 *
 * @example
 * ```ts
 * // templates: { order_shipped: { name: 'order_shipped_v2', languages: { es: 'es', en: 'en_US' } } }
 * resolveTemplate(config.templates, 'order_shipped', 'en-GB'); // { name: 'order_shipped_v2', languageCode: 'en_US' }
 * ```
 */
export function resolveTemplate(templates: Readonly<Record<string, WhatsAppTemplate>>, key: string, language: string): ResolvedTemplate | undefined {
  const template = Object.hasOwn(templates, key) ? templates[key] : undefined;
  if (!template) return undefined;
  const byLower = new Map(Object.entries(template.languages).map(([k, v]) => [k.toLowerCase().replace('_', '-'), v]));
  const tag = language.toLowerCase().replace('_', '-');
  const code = byLower.get(tag) ?? byLower.get(tag.split('-')[0] ?? tag);
  return code ? { name: template.name, languageCode: code } : undefined;
}

// Graph rejects template parameters with newlines, tabs or more than four spaces in a row
// (error 132018), so they are flattened rather than refused.
function templateParam(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {5,}/g, '    ')
    .trim();
}

/**
 * A template message body: the approved template `name` in `languageCode`, with `params`
 * filling its body placeholders `{{1}}`, `{{2}}`, … in order. `to` is added by `deliver`.
 * https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates
 *
 * @example
 * ```ts
 * renderTemplate('order_shipped_v2', 'es', ['Ana', 'A-1042']);
 * // { messaging_product: 'whatsapp', recipient_type: 'individual', type: 'template', template: {
 * //   name: 'order_shipped_v2', language: { code: 'es' },
 * //   components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1042' }] }] } }
 * ```
 */
export function renderTemplate(name: string, languageCode: string, params: readonly string[] = []): WhatsAppPayload {
  const template = {
    name,
    language: { code: languageCode },
    ...(params.length > 0
      ? { components: [{ type: 'body' as const, parameters: params.map((p) => ({ type: 'text' as const, text: templateParam(p) })) }] }
      : {}),
  };
  return { messaging_product: 'whatsapp', recipient_type: 'individual', type: 'template', template };
}
