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
