import { createHash } from 'node:crypto';

/** How many ids a reply's `References` keeps: the root, then the most recent (RFC 5322 §3.6.4 allows trimming the middle). */
const MAX_REFERENCES = 20;

/**
 * The message ids in a `Message-ID`, `In-Reply-To` or `References` value, in order, each
 * without its angle brackets.
 *
 * @example
 * ```ts
 * messageIds('<a@x.example> <b@y.example>'); // ['a@x.example', 'b@y.example']
 * messageIds('c@z.example');                 // ['c@z.example'] (some clients drop the brackets)
 * ```
 */
export function messageIds(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const text = typeof value === 'string' ? value : value.join(' ');
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1] as string);
  if (bracketed.length) return bracketed;
  return text.split(/[\s,]+/).filter((id) => id.includes('@'));
}

/**
 * The Message-ID Parley gives a reply: stable for one outbox row (a retry sends the same id, so
 * mail clients show a duplicate once) and carrying the thread's root, so a reply that names
 * only this mail in `In-Reply-To` still finds its conversation without a lookup.
 *
 * @example
 * ```ts
 * ourMessageId('CAF=abc@mail.gmail.com', 'out-7', 'shop.example'); // 'parley.Q0FGPWFiY0BtYWlsLmdtYWlsLmNvbQ.4f1c…@shop.example'
 * ```
 */
export function ourMessageId(root: string, idempotencyKey: string, domain: string): string {
  const key = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `parley.${Buffer.from(root, 'utf8').toString('base64url')}.${key}@${domain}`;
}

/** The thread root carried by one of Parley's Message-IDs, or undefined for anyone else's. */
export function rootOfOurs(id: string): string | undefined {
  const m = /^parley\.([A-Za-z0-9_-]+)\.[0-9a-f]{16}@/.exec(id);
  if (!m) return undefined;
  const root = Buffer.from(m[1] as string, 'base64url').toString('utf8');
  return root.includes('@') ? root : undefined;
}

/** What a mail says about its place in a thread. */
export interface ThreadHeaders {
  messageId: string;
  inReplyTo: string[];
  references: string[];
}

/**
 * The thread a mail belongs to, named by its root Message-ID: the root one of Parley's replies
 * carries, else the first of `References` (the thread's start, RFC 5322 §3.6.4), else the mail
 * it replies to, else the mail itself (a new thread).
 */
export function threadRoot(mail: ThreadHeaders): string {
  for (const id of [...mail.inReplyTo, ...mail.references]) {
    const root = rootOfOurs(id);
    if (root) return root;
  }
  return mail.references[0] ?? mail.inReplyTo[0] ?? mail.messageId;
}

/**
 * The `References` a reply to this mail carries: the mail's own references and its id, trimmed
 * to the root and the most recent ones.
 */
export function replyReferences(mail: ThreadHeaders): string[] {
  const all = [...new Set([...(mail.references.length ? mail.references : mail.inReplyTo), mail.messageId])];
  if (all.length <= MAX_REFERENCES) return all;
  return [all[0] as string, ...all.slice(all.length - (MAX_REFERENCES - 1))];
}

/**
 * A reply's subject: the original's with one `Re: ` in front (kept as is when it has one,
 * including the common localised prefixes clients write: AW, SV, Antw, RE).
 */
export function replySubject(subject: string | undefined, fallback: string): string {
  const s = (subject ?? '').replace(/\s+/g, ' ').trim();
  if (!s) return fallback;
  return /^(re|aw|sv|antw|vs|odp|r)\s*:/i.test(s) ? s : `Re: ${s}`;
}
