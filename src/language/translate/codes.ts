/**
 * Parley's BCP 47 tags -> each provider's language codes. Every provider spells Chinese
 * scripts, English and Portuguese variants its own way.
 */
import { variantOf } from '../tags.js';

type Codes = Readonly<Record<string, string>> | undefined;

function base(tag: string): string {
  return tag.split(/[-_]/)[0]?.toLowerCase() ?? tag.toLowerCase();
}

function region(tag: string): string | undefined {
  return tag
    .split(/[-_]/)
    .slice(1)
    .find((p) => /^[a-z]{2}$/i.test(p))
    ?.toUpperCase();
}

function override(tag: string, codes: Codes): string | undefined {
  if (!codes) return undefined;
  return codes[tag] ?? Object.entries(codes).find(([k]) => k.toLowerCase() === tag.toLowerCase())?.[1];
}

const BRITISH = new Set(['GB', 'IE', 'AU', 'NZ', 'ZA', 'IN', 'SG', 'HK']);

/** DeepL's `source_lang`: the bare language (`EN`, `ZH`, `PT`). https://developers.deepl.com/docs/resources/supported-languages */
export function deeplSource(tag: string, codes?: Codes): string {
  return override(tag, codes) ?? base(tag).toUpperCase();
}

/** DeepL's `target_lang`: `EN-GB`/`EN-US`, `PT-BR`/`PT-PT`, `ZH-HANS`/`ZH-HANT`. */
export function deeplTarget(tag: string, codes?: Codes): string {
  const fixed = override(tag, codes);
  if (fixed) return fixed;
  const b = base(tag);
  if (b === 'en') return BRITISH.has(region(tag) ?? '') ? 'EN-GB' : 'EN-US';
  if (b === 'pt') return region(tag) === 'PT' ? 'PT-PT' : 'PT-BR';
  if (b === 'zh') return variantOf(tag) === 'Hant' ? 'ZH-HANT' : 'ZH-HANS';
  return b.toUpperCase();
}

/** Google Cloud Translation v2: `zh-CN`/`zh-TW`, `pt`/`pt-PT`, otherwise ISO 639-1. */
export function googleCode(tag: string, codes?: Codes): string {
  const fixed = override(tag, codes);
  if (fixed) return fixed;
  const b = base(tag);
  if (b === 'zh') return variantOf(tag) === 'Hant' ? 'zh-TW' : 'zh-CN';
  if (b === 'pt' && region(tag) === 'PT') return 'pt-PT';
  return b;
}

/** Azure Translator v3: `zh-Hans`/`zh-Hant`, `pt`/`pt-pt`, `nb` for Norwegian. */
export function azureCode(tag: string, codes?: Codes): string {
  const fixed = override(tag, codes);
  if (fixed) return fixed;
  const b = base(tag);
  if (b === 'zh') return variantOf(tag) === 'Hant' ? 'zh-Hant' : 'zh-Hans';
  if (b === 'pt' && region(tag) === 'PT') return 'pt-pt';
  if (b === 'no') return 'nb';
  return b;
}

/**
 * LibreTranslate (Argos models): `zh` and `zt` for the Chinese scripts, `pb` for Brazilian
 * Portuguese. Newer servers spell them `zh-Hans`/`zh-Hant`/`pt-BR`: set `codes` then.
 */
export function libreCode(tag: string, codes?: Codes): string {
  const fixed = override(tag, codes);
  if (fixed) return fixed;
  const b = base(tag);
  if (b === 'zh') return variantOf(tag) === 'Hant' ? 'zt' : 'zh';
  if (b === 'pt' && region(tag) === 'BR') return 'pb';
  return b;
}

/** A human name for the LLM prompt: `zh-TW` -> "Traditional Chinese (zh-TW)". */
export function languageName(tag: string): string {
  const b = base(tag);
  let name: string | undefined;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(b);
  } catch {
    name = undefined;
  }
  const script = b === 'zh' ? (variantOf(tag) === 'Hant' ? 'Traditional ' : 'Simplified ') : '';
  return `${script}${name ?? tag} (${tag})`;
}
