export { toWhatsAppText } from '../../src/core/whatsapp-text.js';

/** Whether WhatsApp should render a link preview for this text. */
export function hasLink(text: string): boolean {
  return /https?:\/\/\S/i.test(text);
}
