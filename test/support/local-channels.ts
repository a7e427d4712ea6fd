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
 * A WhatsApp Cloud API webhook carrying one text message to {@link WA}'s number, as Meta sends
 * it: the JSON body and its `x-hub-signature-256`.
 */
export function whatsappText(m: { from: string; name: string; id: string; text: string; at: number }): { body: string; signature: string } {
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
              contacts: [{ profile: { name: m.name }, wa_id: m.from }],
              messages: [{ from: m.from, id: m.id, timestamp: String(Math.floor(m.at / 1000)), type: 'text', text: { body: m.text } }],
            },
          },
        ],
      },
    ],
  });
  return { body, signature: `sha256=${createHmac('sha256', WA.secret).update(body).digest('hex')}` };
}
