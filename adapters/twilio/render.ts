import type { OutboundMessage, Part } from '../../src/core/message.js';
import { MAX_BODY_CHARS, MAX_MEDIA_PER_MESSAGE } from './capabilities.js';
import { splitSms } from './segments.js';

/** One Messages API request's content: `Body` and/or `MediaUrl`s (an MMS). */
export interface TwilioPayload {
  body?: string;
  mediaUrls?: string[];
}

/** How `render` cuts text. */
export interface RenderOptions {
  /** Segments per request (config `maxSegments`). */
  maxSegments: number;
}

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

function partPayloads(part: Part, options: RenderOptions): TwilioPayload[] {
  switch (part.kind) {
    case 'text':
      return splitSms(part.text, { maxSegments: options.maxSegments, maxChars: MAX_BODY_CHARS }).map((body) => ({ body }));
    case 'image':
    case 'video':
    case 'audio':
    case 'file': {
      // Only media the core kept (capabilities.media, i.e. `mms: true`) arrive here.
      const caption = part.kind === 'audio' ? undefined : part.caption;
      if (!isWebUrl(part.url)) return caption ? partPayloads({ kind: 'text', text: caption }, options) : [];
      return [{ mediaUrls: [part.url], ...(caption ? { body: caption.slice(0, MAX_BODY_CHARS) } : {}) }];
    }
    default:
      return [];
  }
}

/**
 * Maps a degraded message to Messages API requests: each text cut into bodies of at most
 * `maxSegments` segments (./segments.ts), each medium an MMS with its caption as the body, media
 * following one another merged up to Twilio's 10 per message. Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Your order shipped.' }] }, { maxSegments: 10 });
 * // [{ body: 'Your order shipped.' }]
 * ```
 */
export function renderMessage(message: OutboundMessage, options: RenderOptions): TwilioPayload[] {
  const out: TwilioPayload[] = [];
  for (const payload of message.parts.flatMap((part) => partPayloads(part, options))) {
    const last = out.at(-1);
    const merge = last?.mediaUrls && payload.mediaUrls && !payload.body && last.mediaUrls.length < MAX_MEDIA_PER_MESSAGE;
    if (merge) last.mediaUrls = [...(last.mediaUrls ?? []), ...(payload.mediaUrls ?? [])];
    else out.push(payload);
  }
  return out;
}
