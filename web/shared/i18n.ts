/**
 * The one string lookup the widget and the console share. Strings are i18next resource JSON
 * (`locales/<lng>/*.json`) as the gateway serves them: nested objects, `{{name}}` slots.
 */

/** Values for `{{name}}` slots. */
export type Vars = Readonly<Record<string, string | number>>;

/** The value at a dotted key (`orderStatus.shipped`) in loosely typed JSON, or `undefined`. */
export function lookup(strings: unknown, key: string): unknown {
  let node = strings;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Fills `{{name}}` slots; a slot without a value becomes empty. */
function interpolate(text: string, vars?: Vars | null): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) =>
    vars && Object.prototype.hasOwnProperty.call(vars, name) && vars[name] !== undefined ? String(vars[name]) : '',
  );
}

/**
 * Looks `key` up in each set of strings in turn and fills its slots. A key no set has comes
 * back as itself: visible, and easy to find in the locale files.
 *
 * @example
 * ```ts
 * translate('launcherUnread', { count: 2 }, loaded, english); // "Open chat (2 new)"
 * ```
 */
export function translate(key: string, vars: Vars | null | undefined, ...sources: readonly unknown[]): string {
  for (const source of sources) {
    const text = lookup(source, key);
    if (typeof text === 'string') return interpolate(text, vars);
  }
  return key;
}
