import { type AdapterContext, type ChannelAdapter, markVerified, type RawRequest, type VerifiedRequest, type VerifyResult } from '../../src/core/adapter.js';
import { type ChannelDefinition, fromSafeParse } from '../../src/core/channel.js';
import { customCapabilities } from './capabilities.js';
import { CustomClient } from './client.js';
import { type CustomConfig, customConfigSchema, missingSettings } from './config.js';
import { isHandshake, parseBody, type Reading, readRequest, toEvents } from './normalize.js';
import { type CustomPayload, renderMessage } from './render.js';
import { checkSignature } from './verify.js';

/** The warning for `verify: { kind: none }`, at start and in `parley check`. */
export const UNVERIFIED_WARNING =
  'WARNING: inbound.verify is "none": anyone who knows the webhook URL can post messages as any shopper, and have Parley answer them. Use hmac, digest, bearer or urlSecret.';

/**
 * Verifies as the block says, then reads the body with its expressions (JSONata evaluates
 * asynchronously, so the reading happens here and `normalize` stays pure). A signature failure
 * is a 401 with nothing read; an unsigned handshake (`handshake.unsigned`) is answered only when
 * the body decrypts with the channel's key and matches `handshake.when`.
 */
async function verifyAndRead(config: CustomConfig, req: RawRequest, now: number): Promise<VerifyResult<Reading>> {
  const inbound = config.inbound;
  const signature = checkSignature(inbound.verify, req, now);
  if (!signature.ok) {
    if (!inbound.handshake?.unsigned) return { ok: false, status: 401, reason: signature.reason };
    const parsed = parseBody(inbound, req.body);
    if (!('doc' in parsed) || !(await isHandshake(inbound, parsed.doc, req))) return { ok: false, status: 401, reason: signature.reason };
    return { ok: true, request: markVerified(req, await readRequest(inbound, parsed.doc, req, now)) };
  }
  const parsed = parseBody(inbound, req.body);
  if (!('doc' in parsed)) return { ok: true, request: markVerified(req, { kind: 'malformed', reason: parsed.problem }) };
  return { ok: true, request: markVerified(req, await readRequest(inbound, parsed.doc, req, now)) };
}

/**
 * Creates a channel from a `type: custom` block: a platform described in config alone
 * (docs/channels/custom.md).
 *
 * @example
 * ```ts
 * const feishu = createCustomAdapter(customConfigSchema.parse(block), ctx);
 * const v = await feishu.verify(raw);
 * if (v.ok) await inbox.accept(feishu.normalize(v.request).events);
 * ```
 */
export function createCustomAdapter(config: CustomConfig, ctx: AdapterContext): ChannelAdapter<CustomPayload> {
  if (config.inbound.verify.kind === 'none') ctx.log.warn({ channel: ctx.channelId }, UNVERIFIED_WARNING);
  const client = new CustomClient(config.outbound, ctx);
  return {
    type: 'custom',
    id: ctx.channelId,
    capabilities: customCapabilities(config),
    verify: (req) => verifyAndRead(config, req, ctx.clock.now()),
    normalize: (req) => toEvents(config.inbound, (req as VerifiedRequest<Reading>).verified, ctx.channelId),
    render: (message) => renderMessage(message),
    deliver: (ref, payloads, envelope) => client.deliver(ref, payloads, envelope),
  };
}

function notes(config: CustomConfig): string[] {
  const out: string[] = [];
  const v = config.inbound.verify;
  if (v.kind === 'none') out.push(UNVERIFIED_WARNING);
  if (v.kind === 'urlSecret') out.push(`The platform must call the webhook URL above with ?${v.param}=<the secret>.`);
  if (v.kind === 'hmac' || v.kind === 'digest')
    out.push(`Signed requests: ${v.kind} ${v.algorithm} over "${v.over.replace(/\n/g, '\\n')}" in header ${v.header}.`);
  if ((v.kind === 'hmac' || v.kind === 'digest') && !v.over.includes('{body}'))
    out.push('The signature does not cover the body: a captured request can carry any body until its timestamp goes stale.');
  if (config.outbound.urlFrom) out.push(`Replies go to the URL outbound.urlFrom reads, only under: ${config.outbound.allowedUrlPrefixes.join(', ')}.`);
  return out;
}

/**
 * The `custom` channel type: a platform Parley has no adapter for, described in config alone.
 *
 * @example
 * ```yaml
 * channels:
 *   mychat:
 *     type: custom
 *     inbound:
 *       verify: { kind: hmac, header: X-Signature, algorithm: sha256, encoding: hex, secret: ${MYCHAT_SECRET} }
 *       eventId: id
 *       userId: from.id
 *       chatId: conversation.id
 *       text: text
 *     outbound:
 *       url: https://api.mychat.example/v1/messages
 *       headers: { Authorization: "Bearer ${MYCHAT_TOKEN}" }
 *       body: "{ 'to': chatId, 'text': text }"
 *       messageId: id
 * ```
 */
export const customChannel: ChannelDefinition<CustomConfig, ChannelAdapter> = {
  type: 'custom',
  parseConfig: (raw) => fromSafeParse(customConfigSchema.safeParse(raw)),
  create: (config, ctx) => createCustomAdapter(config, ctx),
  describe: (config) => ({ missing: missingSettings(config), notes: notes(config) }),
};
