import { existsSync } from 'node:fs';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { type WhatsAppWebConfig, whatsappWebConfigSchema } from './config.js';

/**
 * The `whatsapp-web` channel type: UNOFFICIAL, automates WhatsApp Web with whatsapp-web.js.
 * Prefer the Cloud API channel (`whatsapp`); see docs/channels/whatsapp-web.md. The adapter
 * (and, once it holds the session lease, whatsapp-web.js) is imported only when such a channel
 * is created.
 *
 * @example
 * ```yaml
 * channels:
 *   wa-web:
 *     type: whatsapp-web
 *     executablePath: ${WHATSAPP_WEB_CHROMIUM}
 * ```
 */
export const whatsappWebChannel: ChannelDefinition<WhatsAppWebConfig> = {
  type: 'whatsapp-web',
  parseConfig: (raw) => fromSafeParse(whatsappWebConfigSchema.safeParse(raw ?? {})),
  create: async (config, ctx) => (await import('./adapter.js')).createWhatsAppWebAdapter(config, ctx),
  describe: (config) => ({
    missing: existsSync(config.executablePath)
      ? []
      : [`executablePath (WHATSAPP_WEB_CHROMIUM): no browser at ${config.executablePath}; apt-get install chromium`],
    notes: [
      "UNOFFICIAL: automates WhatsApp Web, not Meta's API; the number can be banned. The Cloud API channel (type: whatsapp) is recommended.",
      'Link the number by scanning the QR code printed in the terminal or shown at /channels/<id>/status; the session is kept in the data folder.',
      'No webhook: requests to /webhooks/<id> are answered 404.',
    ],
  }),
};
