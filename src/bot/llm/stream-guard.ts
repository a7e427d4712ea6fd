/**
 * Streams a reply sentence by sentence, each one checked before it is shown: a sentence that
 * breaks a guardrail stops the stream there (the final answer keeps what was shown and adds a
 * way to a person; nothing shown is taken back), and the `UNKNOWN` marker and the `SOURCES:`
 * line never reach the shopper.
 */

/** Where a sentence ends: terminal punctuation before a space, CJK terminal punctuation, a newline. */
const BOUNDARY = /[.!?](?=\s)|[。！？]|\n/g;

export class StreamGuard {
  /** Masked text shown so far. */
  shown = '';
  blocked = false;
  /** Masked text shown in rounds that ended with tool calls: the answer starts with it. */
  earlier = '';
  #buffer = '';
  #stopped = false;

  constructor(
    private readonly allowed: (maskedSoFar: string) => boolean,
    private readonly restore: (masked: string) => string,
    private readonly emit: (text: string) => void,
  ) {}

  push(piece: string): void {
    if (this.#stopped) return;
    this.#buffer += piece;
    let end = -1;
    for (const m of this.#buffer.matchAll(BOUNDARY)) end = m.index + m[0].length;
    if (end < 0) return;
    const ready = this.#buffer.slice(0, end);
    // The model's "UNKNOWN" is a marker, not an answer.
    if (!this.shown && /^\s*\**UNKNOWN/i.test(ready)) {
      this.stop();
      return;
    }
    const sources = /^[ \t]*\**SOURCES?\**[ \t]*[:：]/im.exec(ready);
    const sendable = sources ? ready.slice(0, sources.index) : ready;
    if (sendable) {
      if (!this.allowed(this.shown + sendable)) {
        this.blocked = true;
        this.stop();
        return;
      }
      this.shown += sendable;
      this.emit(this.restore(sendable));
    }
    if (sources) {
      this.stop();
      return;
    }
    this.#buffer = this.#buffer.slice(end);
  }

  /** Sends what the stream still owes (the last sentence, the source line), so it ends equal to the final text. */
  complete(finalText: string): void {
    const shown = this.restore(this.shown);
    if (finalText.startsWith(shown) && finalText.length > shown.length) this.emit(finalText.slice(shown.length));
  }

  /** Called when a model round ends with tool calls: what it showed stays, what it held back is dropped. */
  reset(): void {
    this.#buffer = '';
    this.earlier = this.shown;
  }

  private stop(): void {
    this.#stopped = true;
    this.#buffer = '';
  }
}
