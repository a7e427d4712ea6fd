import { describe, expect, it } from 'vitest';
import { messageIds, ourMessageId, replyReferences, replySubject, rootOfOurs, threadRoot } from './thread.js';

describe('threads', () => {
  it('reads message ids with and without brackets', () => {
    expect(messageIds('<a@x.example>\r\n <b@y.example>')).toEqual(['a@x.example', 'b@y.example']);
    expect(messageIds('c@z.example')).toEqual(['c@z.example']);
    expect(messageIds(['<a@x.example>', '<b@y.example>'])).toEqual(['a@x.example', 'b@y.example']);
    expect(messageIds(undefined)).toEqual([]);
  });

  it('our Message-ID carries the root, is stable per outbox key, and is told apart from anyone else’s', () => {
    const id = ourMessageId('CAF=abc+1@mail.gmail.com', 'out-7:0', 'shop.example');
    expect(id).toBe(ourMessageId('CAF=abc+1@mail.gmail.com', 'out-7:0', 'shop.example'));
    expect(id).not.toBe(ourMessageId('CAF=abc+1@mail.gmail.com', 'out-8:0', 'shop.example'));
    expect(id).toMatch(/^parley\.[A-Za-z0-9_-]+\.[0-9a-f]{16}@shop\.example$/);
    expect(rootOfOurs(id)).toBe('CAF=abc+1@mail.gmail.com');
    expect(rootOfOurs('CAF=abc+1@mail.gmail.com')).toBeUndefined();
  });

  it('finds the root: ours first, then the first reference, then In-Reply-To, then the mail itself', () => {
    const ours = ourMessageId('root@a.example', 'k', 'shop.example');
    expect(threadRoot({ messageId: 'm3@a.example', inReplyTo: [ours], references: [] })).toBe('root@a.example');
    expect(threadRoot({ messageId: 'm3@a.example', inReplyTo: ['m2@a.example'], references: ['root@a.example', 'm2@a.example'] })).toBe('root@a.example');
    expect(threadRoot({ messageId: 'm3@a.example', inReplyTo: ['m2@a.example'], references: [] })).toBe('m2@a.example');
    expect(threadRoot({ messageId: 'm1@a.example', inReplyTo: [], references: [] })).toBe('m1@a.example');
  });

  it('builds References for a reply: the chain and the mail, trimmed to the root and the 19 most recent', () => {
    expect(replyReferences({ messageId: 'm2', inReplyTo: ['m1'], references: [] })).toEqual(['m1', 'm2']);
    const long = Array.from({ length: 30 }, (_, i) => `r${i}`);
    const refs = replyReferences({ messageId: 'last', inReplyTo: [], references: long });
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('r0');
    expect(refs.at(-1)).toBe('last');
  });

  it('writes one Re: and keeps the prefixes clients write in other languages', () => {
    expect(replySubject('Lieferzeit', 'x')).toBe('Re: Lieferzeit');
    expect(replySubject('RE: Lieferzeit', 'x')).toBe('RE: Lieferzeit');
    expect(replySubject('AW: Lieferzeit', 'x')).toBe('AW: Lieferzeit');
    expect(replySubject('  ', 'Ihre Nachricht')).toBe('Ihre Nachricht');
  });
});
