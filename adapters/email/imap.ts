import { ImapFlow } from 'imapflow';
import type { AdapterContext } from '../../src/core/adapter.js';
import type { EmailConfig } from './config.js';
import { parseMime } from './mail.js';
import { type EmailContext, mailEvents } from './normalize.js';

type ImapConfig = NonNullable<EmailConfig['imap']>;

/** Reconnect waits: 1 s, doubling, at most a minute (reset after a good connection). */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;

/**
 * Reads one mailbox over IMAP for one channel, on one gateway instance at a time: the instance
 * holding the lease `email:imap:<channel>` connects, syncs, then waits in IDLE (imapflow enters
 * it by itself once the mailbox is open and nothing else runs) and syncs again on `exists` and
 * every `pollMs`. It renews the lease every third of `leaseMs`; losing it (a pause longer than a
 * lease, the database gone) closes the connection, and another instance takes over.
 *
 * A sync takes the unseen mail above the last UID handled, in UID order: parse, accept into the
 * durable inbox, then set `\Seen` and remember the UID (durable state, per UIDVALIDITY). A crash
 * between accepting and remembering fetches the mail again, and the inbox dedupes it on its
 * Message-ID: nothing is lost, nothing answered twice.
 */
export class ImapReader {
  private running = false;
  private client: ImapFlow | undefined;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private readonly lease: string;

  constructor(
    private readonly imap: ImapConfig,
    private readonly config: EmailConfig,
    private readonly ctx: AdapterContext,
    private readonly email: EmailContext,
  ) {
    this.lease = `email:imap:${ctx.channelId}`;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.loop;
    await this.ctx.leases.release(this.lease).catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    let backoff = BACKOFF_MIN_MS;
    while (this.running) {
      const owner = await this.ctx.leases.acquire(this.lease, this.config.leaseMs).catch(() => false);
      if (!owner) {
        await this.sleep(this.config.leaseMs / 3);
        continue;
      }
      const started = this.ctx.clock.now();
      try {
        await this.session();
      } catch (err) {
        this.ctx.log.warn({ err: (err as Error).message, code: (err as { code?: string }).code }, 'imap session ended');
      }
      if (!this.running) break;
      // A session that lasted a while was a good connection: start the backoff again.
      if (this.ctx.clock.now() - started > BACKOFF_MAX_MS) backoff = BACKOFF_MIN_MS;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    }
  }

  /** One connection: open, sync, IDLE until it closes, the lease is lost or the reader stops. */
  private async session(): Promise<void> {
    const client = new ImapFlow({
      host: this.imap.host,
      port: this.imap.port,
      secure: this.imap.secure,
      auth: { user: this.imap.user, pass: this.imap.pass ?? '' },
      logger: false,
      // Why: imapflow waits 15 s of quiet before it IDLEs; a mailbox watcher has nothing else to do.
      autoIdleDelay: 1_000,
      // Why: NATs and proxies drop silent sockets; re-issuing IDLE every 4 minutes keeps it alive.
      maxIdleTime: 4 * 60_000,
    });
    this.client = client;
    const closed = new Promise<void>((resolve) => client.on('close', () => resolve()));
    client.on('error', (err: Error) => this.ctx.log.warn({ err: err.message }, 'imap connection error'));
    const renew = setInterval(() => void this.renew(client), Math.max(1_000, Math.floor(this.config.leaseMs / 3)));
    const poll = setInterval(() => this.requestSync(client), this.imap.pollMs);
    try {
      await client.connect();
      await client.mailboxOpen(this.imap.mailbox);
      this.ctx.log.info({ mailbox: this.imap.mailbox }, 'imap connected');
      client.on('exists', () => this.requestSync(client));
      this.requestSync(client);
      await closed;
    } finally {
      clearInterval(renew);
      clearInterval(poll);
      this.client = undefined;
      client.close();
    }
  }

  private async renew(client: ImapFlow): Promise<void> {
    const still = await this.ctx.leases.acquire(this.lease, this.config.leaseMs).catch(() => false);
    if (!still) {
      this.ctx.log.warn({}, 'imap lease lost: closing the connection');
      client.close();
    }
  }

  /** Runs syncs one after another: an `exists` during a sync queues one more. */
  private requestSync(client: ImapFlow): void {
    this.syncing = this.syncing
      .then(() => (client.usable ? this.sync(client) : undefined))
      .catch((err: Error) => {
        this.ctx.log.warn({ err: err.message }, 'imap sync failed');
        client.close();
      });
  }

  private async sync(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) return;
    const key = `imap:${this.imap.mailbox}:${String(mailbox.uidValidity)}:lastUid`;
    const last = Number((await this.ctx.state.get(key)) ?? 0);
    const found = await client.search({ seen: false, uid: `${last + 1}:*` }, { uid: true });
    // `n:*` always names the highest UID, even one below n: keep only the new ones.
    const uids = (found || []).filter((uid) => uid > last).sort((a, b) => a - b);
    for (const uid of uids) {
      if (!this.running || !client.usable) return;
      await this.handle(client, uid);
      await this.ctx.state.set(key, String(uid));
    }
  }

  private async handle(client: ImapFlow, uid: number): Promise<void> {
    const meta = await client.fetchOne(String(uid), { size: true }, { uid: true });
    if (meta && (meta.size ?? 0) > this.imap.maxBytes) {
      this.ctx.log.warn({ uid, bytes: meta.size }, 'imap message too large: skipped');
    } else {
      const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (msg && msg.source) await this.accept(msg.source, uid);
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  }

  private async accept(source: Buffer, uid: number): Promise<void> {
    let events;
    try {
      const mail = await parseMime(source);
      const result = mailEvents(mail, this.email);
      if (result.ignored) this.ctx.log.info({ uid, ignored: result.ignored }, 'imap message not answered');
      events = result.events;
    } catch (err) {
      this.ctx.log.warn({ uid, err: (err as Error).message }, 'imap message unreadable: skipped');
      return;
    }
    // Durable before \Seen and before the UID is remembered.
    if (events.length) await this.ctx.inbox.accept(events);
  }
}
