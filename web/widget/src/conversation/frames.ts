/** What each frame from the gateway does to the conversation. */

import { conn, state } from '../state.js';
import { setStatus } from '../status.js';
import { flushPending } from '../transport/outbox.js';
import { dropToken } from '../transport/session.js';
import type { ServerFrame } from '../wire.js';
import { addMessage, onDelta } from './log.js';
import { onAck } from './own.js';
import { setTyping } from './typing.js';

const AUTH_ERRORS = new Set(['unauthorized', 'invalid_token', 'session_expired']);

export function handleFrame(frame: ServerFrame): void {
  switch (frame.type) {
    case 'history':
      for (const msg of frame.messages || []) addMessage(msg);
      state.historyLoaded = true;
      flushPending(); // whatever the replay did not echo back was never received
      break;
    case 'delta':
      onDelta(frame);
      break;
    case 'message':
      addMessage(frame.message);
      break;
    case 'ack':
      onAck(frame);
      break;
    case 'typing':
      setTyping(frame.role === 'agent' ? 'agent' : 'bot', Boolean(frame.on));
      break;
    case 'error':
      if (AUTH_ERRORS.has(frame.code ?? '')) {
        dropToken();
        conn.ws?.close();
      } else setStatus(frame.code === 'rate_limited' ? 'rateLimited' : 'error', false);
      break;
    default:
      break;
  }
}
