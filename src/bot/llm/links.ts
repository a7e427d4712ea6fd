/**
 * Links in a model's reply, read the way a browser or a shopper would read them: URLs with a
 * scheme (parsed by the WHATWG URL parser, so `https://www.dhl.de'@evil.example/` is a link to
 * `evil.example`), markdown link targets, and domains written as plain text
 * ("www.pawsome-kundenservice.shop", recognised by the Public Suffix List through `tldts`).
 * A reply may only point to the shop's own domains and to hosts the sources name (the carrier's
 * tracking link of an order), compared exactly after IDNA: a look-alike host never matches.
 */
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';

/** One link or domain found in a text. */
export interface FoundLink {
  /** The host as the URL parser writes it (lower case, IDNA punycode); empty when unparseable. */
  host: string;
  /** Why it can never be allowed, whatever its host. */
  problem?: 'credentials' | 'scheme' | 'unparseable';
}

/** Scheme URLs: up to white space, quotes or angle brackets (an apostrophe does not end one). */
const SCHEME_URL = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s<>"`]+/giu;
/** Markdown link targets: `[text](target)`. */
const MD_TARGET = /\]\(\s*<?([^)\s>]+)>?[^)]*\)/gu;
/** `mailto:`, `javascript:`, `data:` and the like, outside markdown. */
const SCHEME_ONLY = /\b(?:javascript|data|vbscript|file|mailto|tel|sms|intent):[^\s<>"`]+/giu;
/** A label of a domain: letters of the scripts hosts are written in, digits, inner hyphens. */
const LABEL =
  '[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}](?:[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}-]{0,61}[\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}])?';
const HOST_CHAR = '\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}';
/** Chinese or Japanese may run straight into a domain ("访问pawsome.example了解"): only host letters join it. */
const BARE_DOMAIN = new RegExp(`(?<![${HOST_CHAR}@._-])(?:${LABEL}\\.)+${LABEL}(?![${HOST_CHAR}-]|\\.[${HOST_CHAR}])`, 'gu');
/** Special-use names (RFC 2606, 6761): domains to the reader although no registry lists them. */
const SPECIAL_USE = new Set(['example', 'test', 'invalid', 'localhost', 'local', 'internal', 'onion']);
const TRAILING = /[.,;:!?'’)\]}*_]+$/u;

function fromUrl(raw: string): FoundLink {
  const token = raw.replace(TRAILING, '');
  let url: URL;
  try {
    url = new URL(token);
  } catch {
    return { host: '', problem: 'unparseable' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { host: url.hostname, problem: 'scheme' };
  if (url.username || url.password) return { host: url.hostname, problem: 'credentials' };
  return { host: url.hostname };
}

/** A plain-text domain's host, when the Public Suffix List (or special use) makes it one. */
function asDomain(token: string): string | undefined {
  const ascii = domainToASCII(token.toLowerCase());
  if (!ascii) return undefined;
  const info = parse(ascii);
  if (info.isIp || !info.publicSuffix) return undefined;
  if (!info.isIcann && !info.isPrivate && !SPECIAL_USE.has(info.publicSuffix)) return undefined;
  // A registrable name is needed ("example" alone, or "co.uk", is not a link).
  return info.domain ? ascii : undefined;
}

/**
 * Every link and written-out domain in `text` (NFKC-normalised first, so full-width dots and
 * letters are read as a browser would).
 *
 * @example
 * ```ts
 * findLinks("Track it [here](https://www.dhl.de'@dhl-zustellung.example/x) or on www.pawsome-kundenservice.shop");
 * // [{ host: 'dhl-zustellung.example', problem: 'credentials' }, { host: 'www.pawsome-kundenservice.shop' }]
 * ```
 */
export function findLinks(input: string): FoundLink[] {
  let text = input.normalize('NFKC');
  const out: FoundLink[] = [];
  for (const m of text.matchAll(MD_TARGET)) {
    const target = m[1] as string;
    out.push(/^[a-z][a-z0-9+.-]*:/i.test(target) ? fromUrl(target) : { host: '', problem: 'scheme' });
  }
  text = text.replace(MD_TARGET, '] ');
  for (const m of text.matchAll(SCHEME_URL)) out.push(fromUrl(m[0]));
  text = text.replace(SCHEME_URL, ' ');
  for (const m of text.matchAll(SCHEME_ONLY)) {
    // A mailto: to an address is judged by its domain, like the address itself.
    const mail = /^mailto:[^@\s]+@([^?\s>]+)/i.exec(m[0]);
    const host = mail ? asDomain((mail[1] as string).replace(TRAILING, '')) : undefined;
    out.push(host ? { host } : { host: '', problem: 'scheme' });
  }
  text = text.replace(SCHEME_ONLY, ' ');
  for (const m of text.matchAll(BARE_DOMAIN)) {
    const host = asDomain(m[0]);
    if (host) out.push({ host });
  }
  return out;
}

/** Where links may point: the shop's domains (and their subdomains) and hosts named by the sources. */
export interface LinkPolicy {
  shopDomains: readonly string[];
  sourceHosts: ReadonlySet<string>;
}

/** The hosts a set of source texts links to or names (each compared exactly later). */
export function hostsIn(texts: readonly string[]): Set<string> {
  const hosts = new Set<string>();
  for (const text of texts) for (const link of findLinks(text)) if (!link.problem && link.host) hosts.add(link.host);
  return hosts;
}

/** Whether a found link may reach the shopper under `policy`. */
export function linkAllowed(link: FoundLink, policy: LinkPolicy): boolean {
  if (link.problem || !link.host) return false;
  if (policy.sourceHosts.has(link.host)) return true;
  return policy.shopDomains.some((domain) => {
    const d = domainToASCII(domain.toLowerCase().replace(/^\*\./, ''));
    return d !== '' && (link.host === d || link.host.endsWith(`.${d}`));
  });
}
