import { describe, expect, it } from 'vitest';
import { findLinks, hostsIn, linkAllowed } from './links.js';

const policy = { shopDomains: ['pawsome-supplies.example'], sourceHosts: hostsIn(['Track it on https://www.dhl.de/track?piececode=JJD1']) };
const allowed = (text: string) => findLinks(text).every((l) => linkAllowed(l, policy));

describe('links in replies', () => {
  it.each([
    'See https://pawsome-supplies.example/returns for the form.',
    'Our shop: www.pawsome-supplies.example and help.pawsome-supplies.example.',
    'Track your parcel [here](https://www.dhl.de/track?piececode=JJD1).',
    '访问pawsome-supplies.example了解详情。',
    'Write to support@pawsome-supplies.example. Node.js, e.g. 5.95 €.',
  ])('allows the shop’s own and the carrier’s: %s', (text) => expect(allowed(text)).toBe(true));

  it.each([
    ['a look-alike domain as plain text', 'Confirm your card on www.pawsome-kundenservice.shop today.'],
    ['a markdown target that continues to another host', "Track it [https://www.dhl.de](https://www.dhl.de'@dhl-zustellung.example/track)."],
    ['a host that only starts like the real one', 'https://www.dhl.de.evil.example/track'],
    ['a Cyrillic look-alike', 'Pay at https://pаwsome-supplies.example/pay'],
    ['full-width letters', 'ｗｗｗ．ｅｖｉｌ．ｓｈｏｐ'],
    ['javascript links', '[click](javascript:alert(1))'],
    ['an IP address', 'http://192.168.0.1/login'],
  ])('stops %s', (_name, text) => expect(allowed(text)).toBe(false));
});
