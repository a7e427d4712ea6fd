import WebSocket from 'ws';

/** A message as the widget receives it. */
export interface WireMessage {
  id: string;
  seq: number;
  role: string;
  parts: { kind: string; text?: string }[];
  clientId?: string;
}

/** Opens a web chat session over HTTP. */
export async function openSession(base: string, token?: string): Promise<{ token: string; conversationId: string }> {
  const res = await fetch(`${base}/webchat/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(token ? { token } : {}),
  });
  if (!res.ok) throw new Error(`session failed: ${res.status}`);
  return (await res.json()) as { token: string; conversationId: string };
}

/** Sends a message over the HTTP fallback. */
export function sendHttp(base: string, token: string, body: object): Promise<Response> {
  return fetch(`${base}/webhooks/webchat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
}

/** Reads the history over HTTP. */
export async function history(base: string, token: string, after = 0): Promise<WireMessage[]> {
  const res = await fetch(`${base}/webchat/messages?after=${after}`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { messages: WireMessage[] }).messages;
}

/** Polls until `check` passes or the time runs out. */
export async function until<T>(fn: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${String(JSON.stringify(value)).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A WebSocket client speaking the widget's protocol, collecting every frame. */
export class ChatSocket {
  readonly frames: Record<string, unknown>[] = [];
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(String(d))));
  }

  static async connect(base: string, token: string): Promise<ChatSocket> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/webchat/socket?token=${encodeURIComponent(token)}`);
    const socket = new ChatSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    await socket.next((f) => f.type === 'ready' || f.type === 'error');
    return socket;
  }

  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends bytes as they are (bad input tests). */
  sendRaw(data: string): void {
    this.ws.send(data);
  }

  /** Waits for a frame (already received or future) matching `match`. */
  async next(match: (f: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    return until(
      async () => this.frames.find(match),
      (f) => f !== undefined,
      timeoutMs,
    ) as Promise<Record<string, unknown>>;
  }

  /** Every message frame's message so far. */
  messages(): WireMessage[] {
    return this.frames.filter((f) => f.type === 'message').map((f) => f.message as WireMessage);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}
