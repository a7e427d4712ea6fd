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

/** The open sockets of each web chat session, for pushing frames. */
export class SocketHub {
  private readonly sockets = new Map<string, Set<FrameSink>>();

  add(sid: string, sink: FrameSink): () => void {
    let set = this.sockets.get(sid);
    if (!set) this.sockets.set(sid, (set = new Set()));
    set.add(sink);
    return () => {
      set.delete(sink);
      if (set.size === 0) this.sockets.delete(sid);
    };
  }

  /** Sends a frame to every socket of a session; returns how many got it. */
  publish(sid: string, frame: object): number {
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
