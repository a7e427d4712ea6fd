import type { MarkupDialect } from '../../src/core/capabilities.js';
import { convertMarkup } from '../../src/core/markup.js';

/** Text in WhatsApp's formatting (the core's `whatsapp` dialect): `*bold*`, `_italic_`, "label (url)". */
export function toWhatsAppText(text: string, markup: MarkupDialect = 'plain'): string {
  return convertMarkup(text, markup, 'whatsapp');
}

/** Whether WhatsApp should render a link preview for this text. */
export function hasLink(text: string): boolean {
  return /https?:\/\/\S/i.test(text);
}
