import { describe, expect, it } from 'vitest';
import { describeAdapterContract } from '../../test/contract/adapter-contract.js';
import { fakeContext, fixture, mailgunConfig, mailgunFields, mailgunRequest, postmarkRequest, testConfig } from '../../test/support/email.js';
import { createEmailAdapter } from './adapter.js';
import { emailChannel } from './channel.js';

describeAdapterContract({
  name: 'email',
  create: () => createEmailAdapter(testConfig(), fakeContext().ctx),
  validRequests: () => [postmarkRequest(fixture('postmark-inbound.json'))],
  // Postmark signs nothing: the Basic credentials are what is checked (the body travels over TLS).
  tamper: (req) => ({ ...req, headers: { ...req.headers, authorization: 'Basic cG9zdG1hcms6Zm9yZ2Vk' } }),
});

const signedAt = fakeContext().clock.now();
describeAdapterContract({
  name: 'email (Mailgun route)',
  create: () => createEmailAdapter(mailgunConfig(), fakeContext().ctx),
  validRequests: async () => [await mailgunRequest(mailgunFields(), { now: signedAt })],
  // Mailgun signs timestamp + token, not the body (its documented scheme): the signature is what can be forged.
  tamper: (req) => ({ ...req, body: Buffer.from(req.body.toString().replace(/signature=[0-9a-f]+/, `signature=${'0'.repeat(64)}`)) }),
});

describe('emailChannel definition', () => {
  it('parses the documented block with defaults', () => {
    const parsed = emailChannel.parseConfig({
      address: 'support@shop.example',
      imap: { host: 'imap.shop.example', user: 'support@shop.example', pass: 'x' },
      inbound: { provider: 'postmark', basicAuth: { user: 'postmark', pass: 'y' } },
      footer: 'Shop Example · https://shop.example',
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        address: 'support@shop.example',
        imap: {
          host: 'imap.shop.example',
          port: 993,
          secure: true,
          user: 'support@shop.example',
          pass: 'x',
          mailbox: 'INBOX',
          pollMs: 60_000,
          maxBytes: 26_214_400,
        },
        inbound: { provider: 'postmark', basicAuth: { user: 'postmark', pass: 'y' } },
        footer: 'Shop Example · https://shop.example',
        leaseMs: 30_000,
      },
    });
  });

  it('parses a Mailgun inbound block; describe asks for the signing key and explains the route', () => {
    const parsed = emailChannel.parseConfig({ address: 'support@shop.example', inbound: { provider: 'mailgun' } });
    if (!parsed.ok) throw new Error('expected ok');
    expect(parsed.value.inbound).toEqual({ provider: 'mailgun' });
    const described = emailChannel.describe?.(parsed.value);
    expect(described?.missing).toEqual(['inbound.signingKey (MAILGUN_WEBHOOK_SIGNING_KEY)']);
    expect(described?.notes?.join('\n')).toMatch(/forward\("<the URL above>"\)/);
    const mixed = emailChannel.parseConfig({ address: 'support@shop.example', inbound: { provider: 'mailgun', basicAuth: { user: 'x' } } });
    expect(mixed.ok).toBe(false);
  });

  it('reports a bad address and unknown keys with their paths; describe names what is missing', () => {
    const parsed = emailChannel.parseConfig({ address: 'not-an-address', imap: { host: 'h' }, inbound: { provider: 'mailchimp' } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['address', 'imap.user', 'inbound.provider']));
    const bare = emailChannel.parseConfig({ address: 'support@shop.example' });
    if (!bare.ok) throw new Error('expected ok');
    expect(emailChannel.describe?.(bare.value).missing).toEqual(['imap or inbound (where mail to the address arrives)']);
  });
});
