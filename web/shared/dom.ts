/**
 * The one element builder the widget and the console share. Text is always added as text
 * nodes (`append` with a string), never parsed as HTML, so shopper and agent text cannot
 * inject markup.
 */

/** What `h` accepts as a child: nodes, text, numbers and nested lists; `null`, `undefined` and `false` are skipped. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** An event listener; `never` lets a handler for a specific event type (`KeyboardEvent`, ...) fit. */
type Handler = (event: never) => unknown;

/**
 * Attributes: `class` sets the class name, a function on `on<event>` adds a listener, `true`
 * sets an empty attribute; `null`, `undefined` and `false` leave the attribute out.
 */
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

/**
 * Builds an element.
 *
 * @example
 * ```ts
 * h('button', { type: 'button', class: 'chip', onclick: () => send() }, label);
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  appendChildren(el, children);
  return el;
}

function appendChildren(el: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (typeof child === 'string' || child instanceof Node) el.append(child);
    else if (typeof child === 'number') el.append(String(child));
    else appendChildren(el, child);
  }
}

/** The WebSocket origin of an http(s) origin: `https://gw.example` → `wss://gw.example`. */
export function socketOrigin(httpOrigin: string): string {
  return httpOrigin.replace(/^http/, 'ws');
}
