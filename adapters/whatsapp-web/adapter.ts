import type { AdapterContext, ChannelAdapter, DeliveryEnvelope, DeliveryReceipt, FetchedMedia, FetchMediaOptions } from '../../src/core/adapter.js';
import { DeliveryError, isParleyError, ParleyError } from '../../src/core/errors.js';
import type { ConversationRef } from '../../src/core/message.js';
import { whatsappWebCapabilities } from './capabilities.js';
import { createLibraryClient, type WhatsAppWebClient, type WhatsAppWebClientOptions, type WhatsAppWebContent, type WhatsAppWebSendOptions } from './client.js';
import type { WhatsAppWebConfig } from './config.js';
import { printQrToTerminal } from './qr.js';
import { renderMessage, type WhatsAppWebPayload } from './render.js';
import { type WhatsAppWebStatus, WhatsAppWebSession } from './session.js';
import { renderStatusPage } from './status-page.js';
import { normalizeNoWebhook, verifyNoWebhook } from './verify.js';

/** A WhatsApp Web channel instance: the contract plus its session status and media download. */
export interface WhatsAppWebAdapter extends ChannelAdapter<WhatsAppWebPayload> {
  /** The session's state and, while a login is needed, the latest QR string. */
  status(): WhatsAppWebStatus;
  /** The operator page for `GET /channels/<id>/status` (see {@link renderStatusPage}). */
  statusPage(): string;
  /** Fetches media a shopper sent, from a part's `platform:<message id>` url. */
  fetchMedia(url: string, options?: FetchMediaOptions): Promise<FetchedMedia>;
}

/** Test seams: a fake client instead of whatsapp-web.js, a printer instead of the terminal. */
export interface WhatsAppWebAdapterOptions {
  createClient?: (opts: WhatsAppWebClientOptions) => WhatsAppWebClient | Promise<WhatsAppWebClient>;
  printQr?: (qr: string) => void;
}

/** How long a sent part of a multi-part delivery is remembered, so a retry skips it. */
const sentMemoryMs = 24 * 60 * 60 * 1000;
// Why: LocalAuth refuses other client ids; the channel id names the session folder.
const clientIdPattern = /^[-_\w]+$/;
// Why these are permanent: the recipient is not a WhatsApp account; retrying cannot help.
const badRecipient = /invalid wid|wid error|not a valid|no lid for user|lid is missing/i;

/** A phone number (care messages by phone) becomes its WhatsApp id; chat ids pass through. */
export function toChatId(chatId: string): string {
  return /^\+?[\d\s()-]{6,20}$/.test(chatId) ? `${chatId.replace(/\D/g, '')}@c.us` : chatId;
}

/** The `sendMessage` arguments for one payload. */
export function sendArgs(payload: WhatsAppWebPayload): [WhatsAppWebContent, WhatsAppWebSendOptions] {
  const quoted = payload.quotedMessageId ? { quotedMessageId: payload.quotedMessageId } : {};
  if (payload.type === 'text') return [payload.text, quoted];
  if (payload.type === 'location') {
    const { latitude, longitude, name, address } = payload;
    return [{ location: { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) } }, quoted];
  }
  const { kind, url, filename, mimeType, caption } = payload;
  const media = { kind, url, ...(filename ? { filename } : {}), ...(mimeType ? { mimeType } : {}) };
  return [{ media }, { ...quoted, ...(caption ? { caption } : {}), ...(kind === 'file' ? { sendMediaAsDocument: true } : {}) }];
}

function notReady(channelId: string, status: WhatsAppWebStatus): DeliveryError {
  const hint =
    status.state === 'qr'
      ? `Scan the QR code at /channels/${channelId}/status.`
      : status.state === 'standby'
        ? 'Another gateway instance owns the session; it must send.'
        : 'It reconnects by itself; see the gateway log.';
  return new DeliveryError('transient', `WhatsApp Web channel "${channelId}" is not connected (${status.state}). ${hint}`, {
    retryAfterMs: 30_000,
    details: { state: status.state },
  });
}

async function send(client: WhatsAppWebClient, chatId: string, payload: WhatsAppWebPayload): Promise<string> {
  try {
    const [content, options] = sendArgs(payload);
    return (await client.sendMessage(chatId, content, options)).id._serialized;
  } catch (err) {
    if (isParleyError(err)) throw err;
    const message = err instanceof Error ? err.message.slice(0, 200) : String(err);
    const permanent = badRecipient.test(message);
    throw new DeliveryError(
      permanent ? 'blocked' : 'transient',
      `WhatsApp Web sendMessage failed: ${message}${permanent ? ' Check the chat id is a WhatsApp number.' : ''}`,
      {
        cause: err,
        ...(permanent ? {} : { retryAfterMs: 10_000 }),
      },
    );
  }
}

function readyClient(session: WhatsAppWebSession, channelId: string): WhatsAppWebClient {
  const client = session.readyClient();
  if (!client) throw notReady(channelId, session.status());
  return client;
}

// Why remember sent parts: WhatsApp has no idempotency key, so when the second of two
// payloads fails, the retry must not show the first again.
async function deliverAll(
  client: WhatsAppWebClient,
  ctx: AdapterContext,
  ref: ConversationRef,
  payloads: WhatsAppWebPayload[],
  envelope: DeliveryEnvelope,
): Promise<DeliveryReceipt> {
  const ids: string[] = [];
  for (const [i, payload] of payloads.entries()) {
    const key = `whatsapp-web:${ctx.channelId}:sent:${envelope.idempotencyKey}:${i}`;
    const remembered = payloads.length > 1 ? await ctx.state.get(key) : undefined;
    const id = remembered ?? (await send(client, toChatId(ref.chatId), payload));
    if (!remembered && payloads.length > 1) await ctx.state.set(key, id, ctx.clock.now() + sentMemoryMs);
    ids.push(id);
  }
  return { platformMessageIds: ids };
}

async function downloadFrom(client: WhatsAppWebClient, url: string, options: FetchMediaOptions = {}): Promise<FetchedMedia> {
  const id = url.replace(/^platform:/, '');
  const media = await client.downloadMedia?.(id);
  if (!media) throw new DeliveryError('invalid', `WhatsApp Web has no media for message ${id} any more (deleted or expired on the phone).`);
  // The library hands the whole file over at once: the cap can only be checked after.
  if (options.maxBytes !== undefined && media.data.length > options.maxBytes) {
    throw new DeliveryError('invalid', `WhatsApp Web media refused: ${media.data.length} bytes.`, { details: { maxBytes: options.maxBytes } });
  }
  return media;
}

function checkChannelId(channelId: string): void {
  if (clientIdPattern.test(channelId)) return;
  throw new ParleyError(
    'CONFIG_INVALID',
    `WhatsApp Web channel id "${channelId}" may use only letters, digits, "_" and "-" (it names the session folder). Rename the block under channels:.`,
  );
}

/**
 * Creates a WhatsApp Web channel instance (UNOFFICIAL). Nothing runs until `start`: it takes
 * the session lease and, when this instance gets it, launches Chromium through whatsapp-web.js
 * (imported only then).
 *
 * @example
 * ```ts
 * const adapter = createWhatsAppWebAdapter(config, ctx);
 * await adapter.start?.();
 * adapter.status(); // { state: 'qr', qr: '2@…', since: 1700000000000 }
 * ```
 */
export function createWhatsAppWebAdapter(config: WhatsAppWebConfig, ctx: AdapterContext, options: WhatsAppWebAdapterOptions = {}): WhatsAppWebAdapter {
  const log = ctx.log.child({ channel: ctx.channelId });
  const session = new WhatsAppWebSession({
    ctx,
    config,
    log,
    createClient: options.createClient ?? createLibraryClient,
    printQr: options.printQr ?? ((qr) => printQrToTerminal(qr)),
  });
  const ready = () => readyClient(session, ctx.channelId);
  return {
    type: 'whatsapp-web',
    id: ctx.channelId,
    capabilities: whatsappWebCapabilities,
    verify: verifyNoWebhook,
    normalize: normalizeNoWebhook,
    render: renderMessage,
    deliver: async (ref, payloads, envelope) => deliverAll(ready(), ctx, ref, payloads, envelope),
    fetchMedia: async (url, options) => downloadFrom(ready(), url, options),
    async sendTyping(ref) {
      // Best effort: a missing typing indicator must not fail the turn.
      await session
        .readyClient()
        ?.sendStateTyping?.(toChatId(ref.chatId))
        .catch((err: unknown) => log.debug({ err: err instanceof Error ? err.message : String(err) }, 'whatsapp web typing failed'));
    },
    status: () => session.status(),
    statusPage: () => renderStatusPage(session.status(), { channelId: ctx.channelId, now: ctx.clock.now() }),
    async start() {
      checkChannelId(ctx.channelId);
      await session.start();
    },
    stop: () => session.stop(),
  };
}
