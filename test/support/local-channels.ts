import { createHmac } from 'node:crypto';
/** A WhatsApp Cloud API number, as the end-to-end tests configure it against a local Graph API. */
export const WA = { pnid: '106540352242922', secret: 'wa-app-secret', token: 'wa-access-token', verify: 'wa-verify' };

/**
 * The `tg` (Telegram) and `wa` (WhatsApp) channel blocks of a gateway.yaml, both pointed at the
 * local platform server at `api`, indented to sit under `channels:`; `waExtra` lines go at the
 * end of the `wa` block (templates, limits).
 */
export function telegramWhatsAppYaml(api: string, tgToken: string, waExtra: readonly string[] = []): string {
  return [
    '  tg:',
    '    type: telegram',
    `    token: "${tgToken}"`,
    '    secretToken: tg-secret',
    `    apiRoot: "${api}"`,
    '  wa:',
    '    type: whatsapp',
    `    phoneNumberId: "${WA.pnid}"`,
    `    accessToken: ${WA.token}`,
    `    appSecret: ${WA.secret}`,
    `    verifyToken: ${WA.verify}`,
    `    graphBaseUrl: "${api}"`,
    ...waExtra,
  ].join('\n');
}

/**
 * A WhatsApp Cloud API webhook carrying one message (the `messages[]` entry as Meta sends it:
 * text, image, audio...) to {@link WA}'s number, from `from` named `name`: the JSON body and its
 * `x-hub-signature-256`.
 */
export function whatsappWebhook(from: string, name: string, message: Record<string, unknown>): { body: string; signature: string } {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550001111', phone_number_id: WA.pnid },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, ...message }],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: `sha256=${createHmac('sha256', WA.secret).update(body).digest('hex')}` };
}

/** A WhatsApp Cloud API webhook carrying one text message (see {@link whatsappWebhook}). */
export function whatsappText(m: { from: string; name: string; id: string; text: string; at: number }): { body: string; signature: string } {
  return whatsappWebhook(m.from, m.name, { id: m.id, timestamp: String(Math.floor(m.at / 1000)), type: 'text', text: { body: m.text } });
}
