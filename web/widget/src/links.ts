/** Ids and links: the only places gateway-supplied URLs become attributes. */

import { h } from '../../shared/dom.js';
import { settings } from './settings.js';

export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID(); // absent on plain-http pages
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Resolves against the gateway; returns null for anything but http(s). */
export function safeUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || !raw) return null;
  try {
    const url = new URL(raw, settings.origin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A link opening in a new tab, or just the label when the URL is not http(s). */
export function link(href: unknown, label: string, className?: string): Node {
  const url = safeUrl(href);
  if (!url) return document.createTextNode(label);
  return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: className }, label);
}
