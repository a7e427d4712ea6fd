/** Which language a knowledge-base file is written in, and which variants serve which shopper. */

const TAG = /^[a-z]{2,3}(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|\d{3}))?$/;
const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * The language of a file's first folder when that folder is named by a language tag
 * (`de/shipping.md`, `zh-CN/orders.md`, `pt-BR/returns.md`), canonicalised (`zh-cn` -> `zh-CN`).
 * Other folders (`faq/`, `policies/`) are not languages: their files are in the working language.
 *
 * @example
 * ```ts
 * languageFolder('pt-br/returns.md'); // 'pt-BR'
 * languageFolder('faq/returns.md');   // undefined
 * languageFolder('returns.md');       // undefined
 * ```
 */
export function languageFolder(file: string): string | undefined {
  const slash = file.indexOf('/');
  if (slash < 0) return undefined;
  const folder = file.slice(0, slash);
  if (!TAG.test(folder.replace(/_/g, '-').replace(/^[A-Z]+/, (s) => s.toLowerCase()))) return undefined;
  try {
    const [tag] = Intl.getCanonicalLocales(folder.replace(/_/g, '-'));
    return tag && names.of(tag.split('-')[0] as string) ? tag : undefined;
  } catch {
    return undefined;
  }
}

/** Chinese written in Traditional characters (Taiwan, Hong Kong, Macau), by tag. */
function traditional(tag: string): boolean {
  return /-(?:hant|tw|hk|mo)\b/i.test(tag);
}

/**
 * Whether text written for `variant` serves a shopper reading `shopper`: the same primary
 * language (a `pt` section serves `pt-BR`), and for Chinese the same script (zh-CN does not
 * serve zh-TW).
 *
 * @example
 * ```ts
 * sameLanguage('pt', 'pt-BR');    // true
 * sameLanguage('zh-CN', 'zh-TW'); // false
 * ```
 */
export function sameLanguage(variant: string, shopper: string): boolean {
  const a = variant.toLowerCase();
  const b = shopper.toLowerCase();
  if (a === b) return true;
  const base = a.split('-')[0];
  if (base !== b.split('-')[0]) return false;
  return base !== 'zh' || traditional(a) === traditional(b);
}
