/** Something that can receive a JSON frame: a WebSocket connection. */
export interface FrameSink {
  send(frame: string): void;
}

/** A message as the widget sees it. */
export interface WireMessage {
  id: string;
  seq: number;
  role: 'shopper' | 'bot' | 'agent' | 'system';
  parts: unknown[];
  createdAt: number;
  clientId?: string;
}

/**
 * The open sockets of each web chat session, for pushing frames. With several instances the
 * session's sockets may be on another one: every published frame is also handed to the mirror
 * (set by the gateway), which carries it to the other instances' `deliverLocal`.
 */
export class SocketHub {
  private readonly sockets = new Map<string, Set<FrameSink>>();
  private mirror: ((sid: string, frame: object) => void) | undefined;

  /** Also hands every published frame to `mirror` (the other instances). */
  mirrorTo(mirror: (sid: string, frame: object) => void): void {
    this.mirror = mirror;
  }

  add(sid: string, sink: FrameSink): () => void {
    let set = this.sockets.get(sid);
    if (!set) this.sockets.set(sid, (set = new Set()));
    set.add(sink);
    return () => {
      set.delete(sink);
      if (set.size === 0) this.sockets.delete(sid);
    };
  }

  /** Sends a frame to every socket of a session, here and on the other instances; returns how many here got it. */
  publish(sid: string, frame: object): number {
    this.mirror?.(sid, frame);
    return this.deliverLocal(sid, frame);
  }

  /** Sends a frame to this instance's sockets of a session only (a frame another instance published). */
  deliverLocal(sid: string, frame: object): number {
    const set = this.sockets.get(sid);
    if (!set) return 0;
    const text = JSON.stringify(frame);
    for (const sink of set) sink.send(text);
    return set.size;
  }

  get connections(): number {
    let n = 0;
    for (const set of this.sockets.values()) n += set.size;
    return n;
  }
}
