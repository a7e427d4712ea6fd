/**
 * Parley web-chat widget. One tag on the shop page is enough:
 *   <script src="https://gateway.example/widget.js" async></script>
 * Optional attributes: data-lang, data-title, data-position (left|right),
 * data-languages ("en,es,zh-CN,ar"), data-color (accent colour).
 * Styles live in widget.css next to the script. Built into widget.js by scripts/build-web.mjs.
 *
 * The page's API: `Parley.identify(identity)` (the logged-in shopper, signed by the shop's
 * server; or `window.ParleySettings = { identity }` before the tag), `Parley.open()`,
 * `Parley.close()`.
 */

import { handleFrame } from './conversation/frames.js';
import { addMessage, resetConversation } from './conversation/log.js';
import { applyStrings, setLanguage } from './language.js';
import { close, open } from './panel.js';
import { configure, findScript } from './settings.js';
import { build } from './shell.js';
import { initState, state } from './state.js';
import { reconnectNow, start } from './transport/connection.js';
import { setTransportHooks } from './transport/hooks.js';
import { sendIdentity } from './transport/session.js';
import type { Identity } from './wire.js';

async function boot(): Promise<void> {
  build();
  applyStrings();
  await setLanguage(state.lang, false);
  // A returning shopper reconnects at once so replies that arrived meanwhile raise the badge.
  if (state.token) start();
}

function identify(identity: Identity | null): void {
  state.identity = identity && typeof identity === 'object' ? { ...identity } : null;
  state.identifiedToken = null;
  if (state.token) void sendIdentity();
}

function main(script: HTMLScriptElement): void {
  configure(script);
  initState();
  setTransportHooks({
    frame: handleFrame,
    messages: (messages) => {
      for (const msg of messages) addMessage(msg);
    },
    conversationChanged: resetConversation,
  });
  window.Parley = Object.assign(window.Parley || {}, { identify, open: () => open(), close: () => close() });
  window.addEventListener('online', reconnectNow);
  if (document.body) void boot();
  else document.addEventListener('DOMContentLoaded', () => void boot(), { once: true });
}

// The tag may be on the page twice (a theme and an app both adding it): one widget only.
if (!window.__parleyWidget) {
  window.__parleyWidget = true;
  const script = findScript();
  if (script?.src) main(script);
}
