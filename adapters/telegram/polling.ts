import { setTimeout as sleep } from 'node:timers/promises';
import type { AdapterContext } from '../../src/core/adapter.js';
import { isParleyError } from '../../src/core/errors.js';
import type { InboundEvent } from '../../src/core/message.js';
import type { RawUpdate, TelegramClient } from './client.js';
import type { TelegramConfig } from './config.js';
import { normalizeUpdate, parseUpdate } from './normalize.js';

/** What the poller needs from the adapter. */
export interface PollerDeps {
  client: TelegramClient;
  config: TelegramConfig;
  ctx: AdapterContext;
}

const maxBackoffMs = 30_000;

/**
 * Long polling for development without a public URL. Only the instance holding the lease
 * `telegram:polling:<channelId>` polls (Telegram answers 409 to a second getUpdates); it renews
 * the lease after every call. The next offset is stored in `ctx.state` only after `ctx.inbox.accept`
 * persisted the events, so a restart neither loses nor replays updates (a crash in between
 * replays them, and the inbox drops the duplicates by update_id).
 * https://core.telegram.org/bots/api#getupdates
 */
export class Poller {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private owner = false;
  private webhookDeleted = false;
  private failures = 0;

  constructor(private readonly deps: PollerDeps) {}

  get leaseName(): string {
    return `telegram:polling:${this.deps.ctx.channelId}`;
  }

  get offsetKey(): string {
    return `telegram:offset:${this.deps.ctx.channelId}`;
  }

  /** Starts the loop in the background; resolves at once. */
  start(): void {
    this.loop ??= this.run();
  }

  /** Ends the loop (interrupting a pending getUpdates) and gives the lease up. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.owner) await this.deps.ctx.leases.release(this.leaseName);
    this.owner = false;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async run(): Promise<void> {
    const { ctx, config } = this.deps;
    while (!this.stopped) {
      try {
        this.owner = await ctx.leases.acquire(this.leaseName, config.polling.leaseTtlMs);
        if (this.owner) await this.pollOnce();
        else await this.pause(config.polling.standbyRetryMs);
        this.failures = 0;
      } catch (err) {
        if (this.stopped) break;
        await this.pause(this.backoff(err));
      }
    }
  }

  private async pollOnce(): Promise<void> {
    const { client, config, ctx } = this.deps;
    if (!this.webhookDeleted) {
      await client.deleteWebhook(config.dropPendingUpdates);
      this.webhookDeleted = true;
    }
    const stored = Number(await ctx.state.get(this.offsetKey));
    const offset = Number.isSafeInteger(stored) && stored > 0 ? stored : undefined;
    const updates = await client.getUpdates(offset, config.polling.timeoutSec, this.abort.signal);
    if (updates.length === 0) return;
    const events = this.normalize(updates);
    if (events.length > 0) await ctx.inbox.accept(events);
    const next = Math.max(...updates.map((u) => Number(u.update_id))) + 1;
    if (Number.isSafeInteger(next)) await ctx.state.set(this.offsetKey, String(next));
    await this.answerButtons(updates);
  }

  private normalize(updates: RawUpdate[]): InboundEvent[] {
    const { ctx } = this.deps;
    return updates.flatMap((raw) => {
      const update = parseUpdate(raw);
      if (!update) ctx.log.warn({ channel: ctx.channelId, updateId: raw.update_id }, 'telegram update not understood; skipped');
      return update ? normalizeUpdate(update, { channelId: ctx.channelId, now: ctx.clock.now() }) : [];
    });
  }

  /** Stops the spinner on pressed buttons, now that the presses are persisted. Best effort. */
  private async answerButtons(updates: RawUpdate[]): Promise<void> {
    for (const raw of updates) {
      const id = (raw.callback_query as { id?: unknown } | undefined)?.id;
      if (typeof id !== 'string') continue;
      await this.deps.client.answerCallbackQuery(id).catch((err: unknown) => {
        this.deps.ctx.log.debug({ channel: this.deps.ctx.channelId, err: describe(err) }, 'answerCallbackQuery failed');
      });
    }
  }

  private backoff(err: unknown): number {
    this.failures += 1;
    const { ctx } = this.deps;
    ctx.log.warn({ channel: ctx.channelId, err: describe(err), failures: this.failures }, 'telegram polling failed; retrying');
    const retryAfter = isParleyError(err) ? err.retryAfterMs : undefined;
    return retryAfter ?? Math.min(maxBackoffMs, 500 * 2 ** Math.min(this.failures, 6));
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.abort.signal }).catch(() => undefined);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
