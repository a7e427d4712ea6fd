import type { AdapterContext } from '../../src/core/adapter.js';
import type { InboundEvent } from '../../src/core/message.js';
import type { Logger } from '../../src/core/ports.js';
import type { WhatsAppWebClient, WhatsAppWebClientOptions } from './client.js';
import type { WhatsAppWebConfig } from './config.js';
import { type Normalized, normalizeAck, normalizeMessage } from './normalize.js';

/** Where the session stands, for the operator page and `parley check`. */
export type WhatsAppWebState = 'starting' | 'qr' | 'ready' | 'disconnected' | 'standby';

/** The session's state; `qr` is the latest login QR while `state` is `qr`. */
export interface WhatsAppWebStatus {
  state: WhatsAppWebState;
  qr?: string;
  /** When the state began (ms since the epoch). */
  since: number;
}

/** What a session needs from the adapter. */
export interface SessionDeps {
  ctx: AdapterContext;
  config: WhatsAppWebConfig;
  log: Logger;
  createClient(opts: WhatsAppWebClientOptions): WhatsAppWebClient | Promise<WhatsAppWebClient>;
  printQr(qr: string): void;
}

const maxRelaunchDelayMs = 5 * 60 * 1000;

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * One WhatsApp Web session, owned by one gateway instance at a time through the lease
 * `whatsapp-web:<channelId>`. The owner launches the client and renews the lease every third
 * of its lifetime; the others stay in `standby` and try again every `standbyRetryMs`. An
 * owner that loses the lease (or cannot renew it before it lapses) closes its browser, so two
 * browsers never hold one session (WhatsApp would log one out with CONFLICT).
 */
export class WhatsAppWebSession {
  private current: WhatsAppWebStatus;
  private client: WhatsAppWebClient | undefined;
  private owner = false;
  private stopped = true;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private lastRenewedAt = 0;
  private failures = 0;
  private relaunchAt = 0;

  constructor(private readonly deps: SessionDeps) {
    this.current = { state: 'disconnected', since: deps.ctx.clock.now() };
  }

  get leaseName(): string {
    return `whatsapp-web:${this.deps.ctx.channelId}`;
  }

  /** The current state (a copy). */
  status(): WhatsAppWebStatus {
    return { ...this.current };
  }

  /** The client, when this instance owns the session and WhatsApp Web is ready. */
  readyClient(): WhatsAppWebClient | undefined {
    return this.current.state === 'ready' ? this.client : undefined;
  }

  /** Tries the lease once, launching the client when it is ours; then keeps trying in the background. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.setState('starting');
    await this.tick();
  }

  /** Closes the browser (the session stays on disk) and gives the lease up. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    await this.teardown();
    if (this.owner) await this.deps.ctx.leases.release(this.leaseName).catch(() => undefined);
    this.owner = false;
    this.setState('disconnected');
  }

  private tick(): Promise<void> {
    // Why: a failure can schedule a relaunch while a lease check is still running.
    this.ticking ??= this.renew().finally(() => {
      this.ticking = undefined;
      this.schedule();
    });
    return this.ticking;
  }

  /** One timer at a time: the next lease check, or an earlier relaunch after a failure. */
  private schedule(): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    const { leaseTtlMs, standbyRetryMs } = this.deps.config;
    const renewIn = Math.floor(leaseTtlMs / 3);
    const relaunchIn = this.relaunchAt - this.deps.ctx.clock.now();
    const delay = !this.owner ? standbyRetryMs : this.client ? renewIn : Math.max(0, Math.min(renewIn, relaunchIn));
    this.timer = setTimeout(() => void this.tick(), delay);
    this.timer.unref?.();
  }

  private async renew(): Promise<void> {
    const { ctx, config, log } = this.deps;
    try {
      this.owner = await ctx.leases.acquire(this.leaseName, config.leaseTtlMs);
      if (this.owner) this.lastRenewedAt = ctx.clock.now();
    } catch (err) {
      log.warn({ channel: ctx.channelId, err: describe(err) }, 'whatsapp web lease check failed');
      // Why keep running for now: a store hiccup shorter than the lease does not end the session.
      this.owner = this.owner && ctx.clock.now() - this.lastRenewedAt < config.leaseTtlMs;
    }
    if (this.stopped) return;
    if (!this.owner) return this.standby();
    if (!this.client && ctx.clock.now() >= this.relaunchAt) await this.launch();
  }

  private async standby(): Promise<void> {
    if (this.client) {
      this.deps.log.warn({ channel: this.deps.ctx.channelId }, 'whatsapp web lease lost; closing the browser');
      await this.teardown();
    }
    if (this.current.state !== 'standby') this.setState('standby');
  }

  private async launch(): Promise<void> {
    const { ctx, config } = this.deps;
    this.setState('starting');
    try {
      const client = await this.deps.createClient({
        clientId: ctx.channelId,
        dataPath: ctx.dataDir,
        executablePath: config.executablePath,
        headless: config.headless,
        fetch: ctx.fetch,
      });
      if (this.stopped) return void (await client.destroy().catch(() => undefined));
      this.client = client;
      this.wire(client);
      // Why not awaited: initialize waits for the page (and a login); start must not block the gateway.
      client.initialize().catch((err: unknown) => this.fail(client, err));
    } catch (err) {
      await this.fail(undefined, err);
    }
  }

  private wire(client: WhatsAppWebClient): void {
    const { ctx, log } = this.deps;
    const mine = () => this.client === client && !this.stopped;
    client.on('qr', (qr) => mine() && this.onQr(qr));
    client.on('authenticated', () => mine() && log.info({ channel: ctx.channelId }, 'whatsapp web authenticated'));
    client.on('auth_failure', () => mine() && void this.fail(client, new Error('authentication failed; the stored session was refused')));
    client.on('ready', () => {
      if (!mine()) return;
      this.failures = 0;
      this.setState('ready');
      log.info({ channel: ctx.channelId }, 'whatsapp web ready');
    });
    client.on('disconnected', (reason) => mine() && void this.fail(client, new Error(`disconnected (${reason})`)));
    client.on('change_state', (state) => mine() && log.debug({ channel: ctx.channelId, state }, 'whatsapp web state'));
    client.on('message', (msg) => mine() && void this.ingest(normalizeMessage(msg, this.normalizeOptions())));
    client.on('message_ack', (msg, ack) => mine() && void this.ingest(normalizeAck(msg, ack, this.normalizeOptions(), ctx.clock.now())));
  }

  private normalizeOptions() {
    return { channelId: this.deps.ctx.channelId, allowGroups: this.deps.config.allowGroups };
  }

  private onQr(qr: string): void {
    const { ctx, config, log } = this.deps;
    this.current = { state: 'qr', qr, since: ctx.clock.now() };
    log.info({ channel: ctx.channelId, page: `/channels/${ctx.channelId}/status` }, 'whatsapp web needs a login: scan the QR code');
    if (config.printQr) this.deps.printQr(qr);
  }

  private async ingest({ events, skipped }: Normalized): Promise<void> {
    const { ctx, log } = this.deps;
    if (skipped) log.debug({ channel: ctx.channelId, skipped }, 'whatsapp web event skipped');
    if (events.length === 0) return;
    try {
      await ctx.inbox.accept(events);
    } catch (err) {
      // WhatsApp Web does not redeliver: name the ids so an operator can find the messages.
      log.error({ channel: ctx.channelId, eventIds: events.map((e: InboundEvent) => e.eventId), err: describe(err) }, 'whatsapp web events not stored');
    }
  }

  /** Closes a failed client and waits (doubling, up to 5 minutes) before the next launch. */
  private async fail(client: WhatsAppWebClient | undefined, err: unknown): Promise<void> {
    if (client && client !== this.client) return;
    const { ctx, config, log } = this.deps;
    this.failures += 1;
    const delay = Math.min(maxRelaunchDelayMs, config.reconnectDelayMs * 2 ** (this.failures - 1));
    this.relaunchAt = ctx.clock.now() + delay;
    log.warn({ channel: ctx.channelId, err: describe(err), failures: this.failures, retryInMs: delay }, 'whatsapp web session failed');
    if (!this.stopped) this.setState('disconnected');
    await this.teardown();
    this.schedule();
  }

  private async teardown(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.destroy().catch((err: unknown) => {
      this.deps.log.debug({ channel: this.deps.ctx.channelId, err: describe(err) }, 'whatsapp web destroy failed');
    });
  }

  private setState(state: WhatsAppWebState): void {
    this.current = { state, since: this.deps.ctx.clock.now() };
  }
}
