import type { OutboundMessage, Part } from '../../src/core/message.js';

/**
 * One outbound request's content, before the block's body template turns it into the platform's
 * JSON: a text, an image (when `capabilities.images`), or a text with buttons (when
 * `capabilities.buttons`).
 */
export type CustomPayload =
  | { kind: 'text'; text: string }
  | { kind: 'image'; url: string; caption?: string }
  | { kind: 'buttons'; text: string; choices: { label: string; payload: string; url?: string }[] };

function partPayloads(part: Part): CustomPayload[] {
  switch (part.kind) {
    case 'text':
      return part.text.trim() ? [{ kind: 'text', text: part.text }] : [];
    // Only images the core kept (capabilities.images) arrive here; other media became links.
    case 'image':
      return [{ kind: 'image', url: part.url, ...(part.caption ? { caption: part.caption } : {}) }];
    case 'choices':
      // Only with capabilities.buttons: the core turned choices into numbered text otherwise.
      return [
        {
          kind: 'buttons',
          text: part.title ?? '',
          choices: part.choices.map((c) => ({ label: c.label, payload: c.payload, ...(c.url ? { url: c.url } : {}) })),
        },
      ];
    default:
      return [];
  }
}

/**
 * Maps a degraded message to one payload per request: each text, each image, each set of
 * buttons (merged with the text just before it, which becomes their prompt). Pure.
 *
 * @example
 * ```ts
 * renderMessage({ parts: [{ kind: 'text', text: 'Hola' }] }); // [{ kind: 'text', text: 'Hola' }]
 * ```
 */
export function renderMessage(message: OutboundMessage): CustomPayload[] {
  const out: CustomPayload[] = [];
  for (const payload of message.parts.flatMap(partPayloads)) {
    const last = out.at(-1);
    if (payload.kind === 'buttons' && !payload.text && last?.kind === 'text') out[out.length - 1] = { ...payload, text: last.text };
    else out.push(payload);
  }
  return out;
}
