import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { DeliveryError, ParleyError } from '../../src/core/errors.js';

/** What each client event passes to its handler (whatsapp-web.js `Client` events). */
export interface WhatsAppWebEvents {
  qr: [qr: string];
  authenticated: [];
  auth_failure: [message: string];
  ready: [];
  /** `reason` is a `WAState` such as `CONFLICT`, or `LOGOUT`. */
  disconnected: [reason: string];
  change_state: [state: string];
  /** A message someone else wrote (the library's `Message`; see `webMessageSchema`). */
  message: [message: unknown];
  message_ack: [message: unknown, ack: number];
}

/** A media attachment by public URL; the real client downloads it into a `MessageMedia`. */
interface MediaContent {
  media: { url: string; kind: 'image' | 'video' | 'audio' | 'file'; filename?: string; mimeType?: string };
}

/** A location pin; the real client sends it as a whatsapp-web.js `Location`. */
interface LocationContent {
  location: { latitude: number; longitude: number; name?: string; address?: string };
}

/** What `sendMessage` sends: text, or a plain description of media or a location. */
export type WhatsAppWebContent = string | MediaContent | LocationContent;

/** The subset of whatsapp-web.js `MessageSendOptions` Parley uses. */
export interface WhatsAppWebSendOptions {
  caption?: string;
  quotedMessageId?: string;
  sendMediaAsDocument?: boolean;
}

/** Media downloaded from a message a shopper sent. */
export interface DownloadedMedia {
  data: Buffer;
  mimeType: string;
  name?: string;
}

/**
 * The adapter's view of a WhatsApp Web client: the real one wraps whatsapp-web.js's `Client`
 * (see {@link createLibraryClient}); tests pass a fake that emits the library's events.
 *
 * @example
 * ```ts
 * client.on('qr', (qr) => show(qr));
 * client.on('message', (msg) => ctx.inbox.accept(normalizeMessage(msg, opts).events));
 * await client.initialize();
 * const sent = await client.sendMessage('491701234567@c.us', 'Hallo!');
 * sent.id._serialized; // 'true_491701234567@c.us_3EB0…'
 * ```
 */
export interface WhatsAppWebClient {
  on<E extends keyof WhatsAppWebEvents>(event: E, handler: (...args: WhatsAppWebEvents[E]) => void): unknown;
  /** Launches the browser and opens WhatsApp Web; emits `qr` or `ready` later. */
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: WhatsAppWebContent, options?: WhatsAppWebSendOptions): Promise<{ id: { _serialized: string } }>;
  /** Closes the browser; the session stays on disk. */
  destroy(): Promise<void>;
  getState?(): Promise<string | null>;
  /** `message.downloadMedia()` of a received message; undefined when WhatsApp no longer has it. */
  downloadMedia?(messageId: string): Promise<DownloadedMedia | undefined>;
  /** Shows "typing…" in a chat for about 25 s. */
  sendStateTyping?(chatId: string): Promise<void>;
}

/** How to build a client for one channel instance. */
export interface WhatsAppWebClientOptions {
  /** The channel id: LocalAuth keeps the session in `<dataPath>/session-<clientId>`. */
  clientId: string;
  dataPath: string;
  executablePath: string;
  headless: boolean;
  /** Downloads media to send (the gateway's `fetch`). */
  fetch: typeof fetch;
}

/** Chromium flags for a server: no sandbox (often run as root in containers), no GPU, small /dev/shm. */
export const chromiumArgs = Object.freeze(['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage']);

/** The parts of the whatsapp-web.js module Parley touches (typed here, so nothing imports it eagerly). */
export interface LibraryModule {
  Client: new (options: Record<string, unknown>) => LibraryClient;
  LocalAuth: new (options: { clientId?: string; dataPath?: string }) => object;
  Location: new (latitude: number, longitude: number, options?: { name?: string; address?: string }) => object;
  MessageMedia: new (mimetype: string, data: string, filename?: string | null, filesize?: number | null) => LibraryMedia;
}

/** A whatsapp-web.js `MessageMedia`. */
interface LibraryMedia {
  mimetype: string;
  data: string;
  filename?: string | null;
  filesize?: number | null;
}

interface LibraryClient {
  on(event: string, handler: (...args: never[]) => void): unknown;
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  getState(): Promise<string | null>;
  sendMessage(chatId: string, content: unknown, options?: object): Promise<{ id: { _serialized: string } }>;
  getMessageById(id: string): Promise<{ downloadMedia(): Promise<LibraryMedia | undefined> } | undefined>;
  getChatById(id: string): Promise<{ sendStateTyping(): Promise<void> } | undefined>;
}

/**
 * Loads whatsapp-web.js (and with it puppeteer) only when a WhatsApp Web channel starts, so
 * Parley runs and tests pass whether or not the package and a browser work here.
 */
export async function loadLibrary(): Promise<LibraryModule> {
  try {
    const mod = (await import('whatsapp-web.js')) as unknown as { default?: LibraryModule } & LibraryModule;
    return mod.default ?? mod;
  } catch (cause) {
    throw new ParleyError(
      'CONFIG_INVALID',
      'whatsapp-web.js could not be loaded. Run `npm install` in the Parley folder, or remove the whatsapp-web channel.',
      { cause },
    );
  }
}

/** The options given to whatsapp-web.js's `Client` for one channel instance. */
export function libraryClientOptions(lib: LibraryModule, opts: WhatsAppWebClientOptions): Record<string, unknown> {
  return {
    authStrategy: new lib.LocalAuth({ clientId: opts.clientId, dataPath: opts.dataPath }),
    puppeteer: { executablePath: opts.executablePath, headless: opts.headless, args: [...chromiumArgs] },
    // Why: the default cache is ./.wwebjs_cache in the working directory; keep it with the data.
    webVersionCache: { type: 'local', path: join(opts.dataPath, 'wwebjs-cache') },
  };
}

// Why WhatsApp's limits: a bigger upload fails inside the browser after a long wait.
const maxMediaBytes = { image: 16, video: 16, audio: 16, file: 100 } as const;

// The shop's media server, not WhatsApp: a refused URL (401, 403, 404) is this message's problem.
function downloadError(url: string, status: number, retryAfter: string | null): DeliveryError {
  const reason = status === 429 ? 'rate_limited' : status === 408 || status >= 500 ? 'transient' : 'invalid';
  const retryable = reason !== 'invalid';
  const retryAfterMs = Number(retryAfter) > 0 ? Number(retryAfter) * 1000 : undefined;
  return new DeliveryError(
    reason,
    `WhatsApp Web media ${url} could not be downloaded (HTTP ${status}).${retryable ? ' Retrying.' : ' Check the URL is public.'}`,
    {
      ...(retryable && retryAfterMs ? { retryAfterMs } : {}),
      details: { status },
    },
  );
}

function fileName(url: string, disposition: string | null): string {
  const fromHeader = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] : undefined;
  return fromHeader ? decodeURIComponent(fromHeader) : new URL(url).pathname.split('/').pop() || 'file';
}

/**
 * Downloads media for sending and wraps it in a `MessageMedia`. Why not
 * `MessageMedia.fromUrl`: it never checks the HTTP status and takes the MIME type from the
 * URL's extension, so a 404 page at `/photo.jpg` would reach the shopper as a broken "image".
 * This uses the gateway's `fetch`, so proxies and tests apply too.
 */
async function fetchMedia(lib: LibraryModule, fetchFn: typeof fetch, content: MediaContent['media']): Promise<LibraryMedia> {
  let res: Response;
  try {
    res = await fetchFn(content.url, { signal: AbortSignal.timeout(60_000) });
  } catch (cause) {
    throw new DeliveryError('transient', `WhatsApp Web media ${content.url} did not answer. Retrying.`, { cause });
  }
  if (!res.ok) throw downloadError(content.url, res.status, res.headers.get('retry-after'));
  const limit = maxMediaBytes[content.kind] * 1024 * 1024;
  const data = Buffer.from(await res.arrayBuffer());
  if (data.length > limit) {
    throw new DeliveryError(
      'invalid',
      `WhatsApp Web media ${content.url} is ${Math.ceil(data.length / 1048576)} MB; WhatsApp takes at most ${maxMediaBytes[content.kind]} MB for ${content.kind}.`,
    );
  }
  const mimetype = content.mimeType ?? res.headers.get('content-type')?.split(';')[0]?.trim() ?? 'application/octet-stream';
  const filename = content.filename ?? fileName(content.url, res.headers.get('content-disposition'));
  return new lib.MessageMedia(mimetype, data.toString('base64'), filename, data.length);
}

/**
 * Turns Parley's plain content into what whatsapp-web.js sends: a string, a `MessageMedia`
 * (see {@link fetchMedia}) or a `Location`.
 */
export async function toLibraryContent(lib: LibraryModule, content: WhatsAppWebContent, fetchFn: typeof fetch = globalThis.fetch): Promise<unknown> {
  if (typeof content === 'string') return content;
  if ('location' in content) {
    const { latitude, longitude, name, address } = content.location;
    return new lib.Location(latitude, longitude, { ...(name ? { name } : {}), ...(address ? { address } : {}) });
  }
  return fetchMedia(lib, fetchFn, content.media);
}

async function checkBrowser(executablePath: string): Promise<void> {
  try {
    await access(executablePath, constants.X_OK);
  } catch (cause) {
    throw new ParleyError(
      'CONFIG_INVALID',
      `Chromium not found at ${executablePath}. Install it (apt-get install chromium) or set WHATSAPP_WEB_CHROMIUM / executablePath.`,
      { cause },
    );
  }
}

/**
 * The real client: whatsapp-web.js with `LocalAuth` in the data folder, driving the configured
 * Chromium (Parley never downloads one). Imports the library lazily.
 */
export async function createLibraryClient(opts: WhatsAppWebClientOptions): Promise<WhatsAppWebClient> {
  await checkBrowser(opts.executablePath);
  const lib = await loadLibrary();
  const client = new lib.Client(libraryClientOptions(lib, opts));
  return {
    on: (event, handler) => client.on(event, handler as (...args: never[]) => void),
    initialize: () => client.initialize(),
    destroy: () => client.destroy(),
    getState: () => client.getState(),
    sendMessage: async (chatId, content, options) => {
      const sent = await client.sendMessage(chatId, await toLibraryContent(lib, content, opts.fetch), options);
      return { id: { _serialized: sent.id._serialized } };
    },
    downloadMedia: async (messageId) => {
      const media = await (await client.getMessageById(messageId))?.downloadMedia();
      if (!media) return undefined;
      return { data: Buffer.from(media.data, 'base64'), mimeType: media.mimetype, ...(media.filename ? { name: media.filename } : {}) };
    },
    sendStateTyping: async (chatId) => {
      await (await client.getChatById(chatId))?.sendStateTyping();
    },
  };
}
