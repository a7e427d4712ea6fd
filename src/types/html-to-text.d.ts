/** `html-to-text` 10 ships no types: the part Parley uses (adapters/email). */
declare module 'html-to-text' {
  export function convert(html: string, options?: { wordwrap?: number | false; selectors?: unknown[] }): string;
}
