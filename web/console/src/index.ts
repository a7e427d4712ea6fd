/**
 * Parley agent console. Talks only to the documented Console API (docs/api.md):
 * /console/api/* and /console/socket. Built into console.js by scripts/build-web.mjs.
 */

import { showLogin, start } from './app.js';
import { API, whenSignedOut } from './api.js';
import { onFrame } from './frames.js';
import { onKeydown } from './keyboard.js';
import { setSocketHooks } from './socket.js';
import { state } from './state.js';
import { loadStrings } from './strings.js';
import type { Agent } from './types.js';

async function boot(): Promise<void> {
  await loadStrings(navigator.language);
  try {
    const me = await fetch(`${API}/me`, { credentials: 'same-origin' });
    if (me.ok) {
      const data = (await me.json()) as { agent: Agent; csrfToken: string };
      state.csrf = data.csrfToken;
      // Returned, not awaited, as before: a start that fails after sign-in does not fall back to the form.
      return start(data.agent);
    }
  } catch {
    // fall through to sign-in
  }
  showLogin();
}

whenSignedOut(showLogin);
setSocketHooks({ frame: onFrame, signedOut: showLogin });
document.addEventListener('keydown', onKeydown);
void boot();
