/**
 * Media intake, a stage of the turn (before language detection): every image, video, file and
 * voice note of a shopper's message is fetched with the channel's auth, checked (size per kind,
 * type by its magic numbers against the allow-list), stored content-addressed, and gets
 * `stored`. A part that cannot be stored keeps its url and gets `intakeError`: never dropped.
 */
import type { ChannelAdapter, FetchedMedia } from '../core/adapter.js';
import { DeliveryError, isParleyError } from '../core/errors.js';
import { fetchMediaBytes, isTooLarge } from '../core/media.js';
import type { AudioPart, EditEvent, MediaIntakeError, MediaPart, MessageEvent, Part } from '../core/message.js';
import type { Logger } from '../core/ports.js';
import type { MediaSettings } from './config.js';
import { sniff } from './magic.js';
import type { MediaStore } from './port.js';

type Fetchable = MediaPart | AudioPart;
type Shopper = MessageEvent | EditEvent;

/** What intake runs on. */
export interface IntakeDeps {
  store: MediaStore;
  settings: Pick<MediaSettings, 'maxBytes' | 'allow' | 'downloadTimeoutMs' | 'fetchAttempts'>;
  channel(id: string): ChannelAdapter | undefined;
  fetch: typeof fetch;
  log: Logger;
  /**
   * Resolves a web-chat upload reference (`upload:<id>.<signature>`, see src/server/media.ts)
   * sent by `userId` to the stored media id, or undefined when the signature does not match.
   */
  upload?(url: string, userId: string): string | undefined;
  /** Waits between tries (tests pass one that does not). */
  sleep?(ms: number): Promise<void>;
}

/** A turn that already failed this many times fetches nothing more: its parts are kept unstored. */
const MAX_TURN_ATTEMPTS = 3;

const isFetchable = (p: Part): p is Fetchable => p.kind === 'image' || p.kind === 'video' || p.kind === 'file' || p.kind === 'audio';

/** `10 MB` */
const mb = (n: number) => `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)} MB`;

class Refused extends Error {
  constructor(readonly intake: MediaIntakeError) {
    super(intake.code);
  }
}

/**
 * The intake stage. `attempt` is the inbox's attempt count for the turn (1 the first time): a
 * turn re-run after a crash stores the same bytes under the same id (nothing twice), and after
 * {@link MAX_TURN_ATTEMPTS} it stops fetching, so a poisoned download cannot hold a turn forever.
 *
 * @example
 * ```ts
 * const intake = createMediaIntake({ store, settings: config.media, channel, fetch, log });
 * const event = await intake(item.event, item.attempts); // parts with `stored` or `intakeError`
 * ```
 */
export function createMediaIntake(deps: IntakeDeps) {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function fetchOnce(part: Fetchable, event: Shopper, maxBytes: number): Promise<FetchedMedia> {
    const signal = AbortSignal.timeout(deps.settings.downloadTimeoutMs);
    const adapter = deps.channel(event.channelId);
    if (adapter?.fetchMedia) return adapter.fetchMedia(part.url, { maxBytes, signal, raw: event.raw });
    if (!/^https?:\/\//i.test(part.url)) throw new Refused({ code: 'unsupported', detail: 'the channel cannot download this media' });
    return fetchMediaBytes(deps.fetch, part.url, { label: 'Media download', maxBytes, signal, ...(part.mimeType ? { mimeType: part.mimeType } : {}) });
  }

  async function fetchWithRetries(part: Fetchable, event: Shopper, maxBytes: number): Promise<FetchedMedia> {
    for (let i = 1; ; i++) {
      try {
        return await fetchOnce(part, event, maxBytes);
      } catch (err) {
        const again = err instanceof DeliveryError && err.retryable && i < deps.settings.fetchAttempts;
        if (!again) throw err;
        await sleep(Math.min(err.retryAfterMs ?? 500 * 2 ** (i - 1), 5000));
      }
    }
  }

  /** The bytes of an upload reference or a download, checked and stored. */
  async function store(part: Fetchable, event: Shopper): Promise<Fetchable> {
    const kind = part.kind;
    const maxBytes = deps.settings.maxBytes[kind];
    if (part.url.startsWith('upload:')) return fromUpload(part, event);
    const media = await fetchWithRetries(part, event, maxBytes);
    if (media.data.length > maxBytes) throw new Refused({ code: 'too_large', detail: `${mb(media.data.length)}; ${kind} limit ${mb(maxBytes)}` });
    const type = sniff(media.data, part.mimeType ?? media.mimeType);
    if (!type || !deps.settings.allow.includes(type)) {
      throw new Refused({ code: 'type_not_allowed', detail: `${type ?? 'unknown type'} (said ${media.mimeType})` });
    }
    const name = 'name' in part && part.name ? part.name : media.name;
    const stored = await deps.store.put(media.data, { mimeType: type, ...(name ? { name } : {}) });
    return { ...part, stored };
  }

  async function fromUpload(part: Fetchable, event: Shopper): Promise<Fetchable> {
    const id = deps.upload?.(part.url, event.ref.userId);
    const found = id ? await deps.store.get(id) : undefined;
    if (!found) throw new Refused({ code: 'unsupported', detail: 'unknown or foreign upload' });
    return { ...part, mimeType: found.media.mimeType, stored: found.media };
  }

  async function intakePart(part: Fetchable, event: Shopper, attempt: number, log: Logger): Promise<Fetchable> {
    if (part.stored) return part;
    if (attempt > MAX_TURN_ATTEMPTS) return { ...part, intakeError: { code: 'fetch_failed', detail: `gave up after ${attempt - 1} failed turns` } };
    const started = Date.now();
    try {
      const done = await store(part, event);
      log.info({ kind: part.kind, size: done.stored?.size, mimeType: done.stored?.mimeType, ms: Date.now() - started }, 'media stored');
      return done;
    } catch (err) {
      const intakeError = reason(err, part, deps.settings.maxBytes[part.kind]);
      log.warn({ kind: part.kind, code: intakeError.code, detail: intakeError.detail, ms: Date.now() - started }, 'media not stored');
      return { ...part, intakeError };
    }
  }

  return async function intake<E extends Shopper>(event: E, attempt = 1): Promise<E> {
    if (!event.parts.some(isFetchable)) return event;
    const log = deps.log.child({ channel: event.channelId, stage: 'media' });
    const parts: Part[] = [];
    for (const part of event.parts) parts.push(isFetchable(part) ? await intakePart(part, event, attempt, log) : part);
    return { ...event, parts };
  };
}

function reason(err: unknown, part: Fetchable, maxBytes: number): MediaIntakeError {
  if (err instanceof Refused) return err.intake;
  if (isTooLarge(err)) return { code: 'too_large', detail: `over the ${part.kind} limit of ${mb(maxBytes)}` };
  if (err instanceof DeliveryError) return { code: 'fetch_failed', detail: `${err.reason}: ${err.message}` };
  if (isParleyError(err)) return { code: 'fetch_failed', detail: err.message };
  return { code: 'fetch_failed', detail: 'the media store failed' };
}
