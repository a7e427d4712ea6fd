/** What crosses to the other gateway instances: web-chat frames and console events. */
export type LiveTopic = 'webchat' | 'console';

/**
 * Live fan-out between gateway instances. Each instance delivers to its own sockets first,
 * then `publish`es; the others get it through `on` (never the publisher itself). Best effort:
 * a frame lost while a link is down is caught up from the store (the widget's history replay,
 * the console's reload), never by a retry here.
 *
 * @example
 * ```ts
 * const off = live.on('webchat', (body) => hub.deliverLocal(body));
 * live.publish('webchat', { channelId, sid, frame });
 * ```
 */
export interface LiveRelay {
  /** Sends `body` (plain JSON) to every other instance. */
  publish(topic: LiveTopic, body: unknown): void;
  on(topic: LiveTopic, listener: (body: unknown) => void): () => void;
  close(): Promise<void>;
}

/** One instance (the embedded SQLite deployment): there is nobody else to tell. */
export const localRelay: LiveRelay = {
  publish: () => undefined,
  on: () => () => undefined,
  close: async () => undefined,
};
