import type { AdapterContext, ChannelAdapter, VerifiedRequest } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { twilioCapabilities } from './capabilities.js';
import { TwilioClient } from './client.js';
import { missingSettings, type TwilioConfig, twilioConfigSchema } from './config.js';
import { normalizeWebhook } from './normalize.js';
import { renderMessage, type TwilioPayload } from './render.js';
import { type TwilioVerified, verifySignature } from './verify.js';

/** The URL Twilio calls and signs: `publicUrl` as configured, else the gateway's public URL + the webhook path. */
function webhookUrl(config: TwilioConfig, ctx: AdapterContext): string | undefined {
  if (config.publicUrl) return config.publicUrl;
  return ctx.publicUrl ? `${ctx.publicUrl.replace(/\/+$/, '')}${ctx.webhookPath}` : undefined;
}

/**
 * Creates a Twilio Programmable Messaging (SMS/MMS) channel instance.
 *
 * @example
 * ```ts
 * const sms = createTwilioAdapter(twilioConfigSchema.parse({ accountSid, authToken, from: '+15005550006' }), ctx);
 * const v = await sms.verify(raw);
 * if (v.ok) await inbox.accept(sms.normalize(v.request).events);
 * ```
 */
export function createTwilioAdapter(config: TwilioConfig, ctx: AdapterContext): ChannelAdapter<TwilioPayload> {
  const url = webhookUrl(config, ctx);
  const client = new TwilioClient(config, ctx, config.statusCallback ? url : undefined);
  const renderOptions = { maxSegments: config.maxSegments };
  return {
    type: 'twilio',
    id: ctx.channelId,
    capabilities: twilioCapabilities({ mms: config.mms, verifiedPhone: config.verifiedPhone }),
    verify: (req) => verifySignature(req, config.authToken, url),
    normalize: (req) => normalizeWebhook((req as VerifiedRequest<TwilioVerified>).verified.params, ctx.channelId),
    render: (message) => renderMessage(message, renderOptions),
    deliver: (ref, payloads, envelope) => client.deliver(ref, payloads, envelope),
    fetchMedia: (url, options) => client.fetchMedia(url, options),
  };
}

/**
 * The `twilio` channel type: SMS (and MMS) through Twilio Programmable Messaging.
 *
 * @example
 * ```yaml
 * channels:
 *   sms:
 *     type: twilio
 *     accountSid: ${TWILIO_ACCOUNT_SID}
 *     authToken: ${TWILIO_AUTH_TOKEN}
 *     from: "+15005550006"
 *     publicUrl: https://shop.example/webhooks/sms
 * ```
 */
export const twilioChannel: ChannelDefinition<TwilioConfig, ChannelAdapter> = {
  type: 'twilio',
  parseConfig: (raw) => fromSafeParse(twilioConfigSchema.safeParse(raw)),
  create: (config, ctx) => createTwilioAdapter(config, ctx),
  describe: (config) => ({
    missing: missingSettings(config),
    notes: [
      config.publicUrl
        ? `Twilio must call (and signs) ${config.publicUrl}: set it as the number's "A message comes in" webhook, HTTP POST, and route it to the webhook above.`
        : 'Set the webhook URL above, exactly, as the number\'s (or Messaging Service\'s) "A message comes in" webhook, HTTP POST: Twilio signs that URL.',
      'STOP/START/HELP are answered by Twilio (Advanced Opt-Out); Parley records the opt-out and does not reply.',
      ...(config.mms ? [] : ['mms is off: media are sent as links.']),
    ],
  }),
};
