/**
 * Spaces sends so a channel's declared rate limits hold (per chat and per bot). Parley's own
 * pacing, in process: each instance paces what it sends; a platform 429 with retry-after
 * covers the rest through the outbox's retry.
 */
export class Pacer {
  private readonly next = new Map<string, number>();

  /** Milliseconds to wait before a send under `key` at `perSecond`, reserving the slot. */
  reserve(key: string, perSecond: number, now: number): number {
    const gap = 1000 / perSecond;
    const slot = Math.max(now, this.next.get(key) ?? 0);
    this.next.set(key, slot + gap);
    if (this.next.size > 10_000) this.prune(now);
    return slot - now;
  }

  private prune(now: number): void {
    for (const [key, at] of this.next) if (at < now) this.next.delete(key);
  }
}
