/** `written-number`: numbers to words in 16 languages (no types of its own). */
declare module 'written-number' {
  interface Options {
    lang?: string;
    noAnd?: boolean;
  }
  function writtenNumber(n: number, options?: Options): string;
  namespace writtenNumber {
    const i18n: Record<string, unknown>;
  }
  export default writtenNumber;
}
