/**
 * Live traffic across instances (docs/scaling.md): web-chat frames and console events reach the
 * sockets of every instance through the relay. Only the fan-out crosses: what reacts to events
 * (care, auto-assignment, passive replies) listens to the local bus, on the instance that
 * committed the turn, and so acts once.
 */
import type { WebchatAdapter } from '../../adapters/webchat/index.js';
import type { LiveRelay } from '../core/live.js';
import type { ConsoleEvent } from '../handoff/service.js';

interface WebchatFrame {
  channelId: string;
  sid: string;
  frame: object;
}

/** Frames published on one instance reach the session's sockets on all of them. */
export function relayWebchat(live: LiveRelay, channelId: string, hub: WebchatAdapter['hub']): () => void {
  hub.mirrorTo((sid, frame) => live.publish('webchat', { channelId, sid, frame } satisfies WebchatFrame));
  return live.on('webchat', (body) => {
    const b = body as WebchatFrame;
    if (b.channelId === channelId) hub.deliverLocal(b.sid, b.frame);
  });
}

/** What this instance's consoles are told, the other instances' consoles are told too. */
export function relayConsole(live: LiveRelay, service: { on(l: (e: ConsoleEvent) => void): () => void; emit(e: ConsoleEvent): void }): () => void {
  let relaying = false;
  const off = service.on((e) => {
    if (!relaying) live.publish('console', e);
  });
  // `emit` tells the consoles only (not the bus: care and auto-assignment stay with the instance that committed).
  const offLive = live.on('console', (e) => {
    relaying = true;
    try {
      service.emit(e as ConsoleEvent);
    } finally {
      relaying = false;
    }
  });
  return () => {
    off();
    offLive();
  };
}
