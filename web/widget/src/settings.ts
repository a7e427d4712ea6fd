/** The widget's settings, read once from its own script tag. */

import { socketOrigin } from '../../shared/dom.js';

export interface Settings {
  /** The gateway's origin: the widget's own script URL tells where it lives. */
  origin: string;
  wsOrigin: string;
  cssUrl: string;
  /** data-lang, data-title, data-position (left|right), data-languages, data-color. */
  options: DOMStringMap;
}

/** The `<script src=".../widget.js">` that loaded the widget. */
export function findScript(): HTMLScriptElement | undefined {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return [...document.scripts].find((s) => /\/widget\.js(\?|#|$)/.test(s.src));
}

// Filled by configure() before anything else runs (see index.ts).
export const settings: Settings = { origin: '', wsOrigin: '', cssUrl: '', options: {} };

export function configure(script: HTMLScriptElement): void {
  const src = new URL(script.src, location.href);
  settings.origin = src.origin;
  settings.wsOrigin = socketOrigin(src.origin);
  // The stylesheet carries the script's query (a cache-busting version, say).
  settings.cssUrl = new URL(`widget.css${src.search}`, src).href;
  settings.options = script.dataset;
}
