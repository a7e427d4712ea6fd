/**
 * Test helpers for the e-mail channel: a private Dovecot IMAP server per test file, a local SMTP
 * server (smtp-server) that keeps what it receives, fixtures and signed webhook requests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { type EmailConfig, emailConfigSchema } from '../../adapters/email/config.js';
import { basicAuthorization, mailgunSignature } from '../../adapters/email/verify.js';
import type { AdapterContext, RawRequest } from '../../src/core/adapter.js';
import { testAdapterContext } from './adapter-context.js';

export const ADDRESS = 'support@shop.example';
const IMAP_PASS = 'imap-test-password';
export const HOOK_USER = 'postmark';
export const HOOK_PASS = 'postmark-hook-password';
export const MAILGUN_KEY = 'mailgun-test-signing-key';
const DOVECOT = '/usr/sbin/dovecot';

const fixturesDir = fileURLToPath(new URL('../../adapters/email/fixtures/', import.meta.url));

/** A fixture file's bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(join(fixturesDir, name));
}

/** A Postmark inbound webhook request with the Basic credentials (or others) in it. */
export function postmarkRequest(body: Buffer | string, auth = basicAuthorization(HOOK_USER, HOOK_PASS)): RawRequest {
  return { method: 'POST', url: '/webhooks/support', headers: { 'content-type': 'application/json', authorization: auth }, query: {}, body: Buffer.from(body) };
}

/** Options of {@link mailgunRequest}. */
interface MailgunPost {
  /** Signing time in ms (the fixture's own timestamp, token and signature are replaced). */
  now: number;
  key?: string;
  /** Default: a fresh random token, as Mailgun sends. */
  token?: string;
  /** Files make it multipart/form-data (as Mailgun sends mail with attachments); else urlencoded. */
  files?: { field: string; name: string; type: string; content: Buffer }[];
}

/** A Mailgun route POST of these fields, signed as Mailgun signs (timestamp + token, HMAC-SHA256). */
export async function mailgunRequest(fields: Record<string, string>, post: MailgunPost): Promise<RawRequest> {
  const timestamp = String(Math.floor(post.now / 1000));
  const token = post.token ?? randomBytes(25).toString('hex');
  const signed = { ...fields, timestamp, token, signature: mailgunSignature(post.key ?? MAILGUN_KEY, timestamp, token) };
  let body: Buffer;
  let type = 'application/x-www-form-urlencoded';
  if (post.files?.length) {
    const form = new FormData();
    for (const [k, v] of Object.entries(signed)) form.append(k, v);
    for (const f of post.files) form.append(f.field, new Blob([new Uint8Array(f.content)], { type: f.type }), f.name);
    const req = new Request('http://localhost/', { method: 'POST', body: form });
    type = req.headers.get('content-type') ?? '';
    body = Buffer.from(await req.arrayBuffer());
  } else body = Buffer.from(new URLSearchParams(signed).toString());
  return { method: 'POST', url: '/webhooks/support', headers: { 'content-type': type }, query: {}, body };
}

/** The fields of Mailgun's sample route POST (fixtures/mailgun-inbound.json). */
export function mailgunFields(): Record<string, string> {
  return JSON.parse(fixture('mailgun-inbound.json').toString()) as Record<string, string>;
}

/** A parsed config with the Mailgun route on. */
export function mailgunConfig(): EmailConfig {
  return emailConfigSchema.parse({ address: ADDRESS, inbound: { provider: 'mailgun', signingKey: MAILGUN_KEY } });
}

/** A context with a movable clock. */
export function fakeContext(overrides: Partial<AdapterContext> = {}, start = 1_767_225_600_000) {
  return testAdapterContext('support', start, overrides);
}

/** A parsed config with the Postmark webhook on and `extra` merged in. */
export function testConfig(extra: Record<string, unknown> = {}): EmailConfig {
  return emailConfigSchema.parse({ address: ADDRESS, inbound: { provider: 'postmark', basicAuth: { user: HOOK_USER, pass: HOOK_PASS } }, ...extra });
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** uid and gid of a system account, from /etc/passwd. */
function account(name: string): { uid: number; gid: number } | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/** The name of a group, from /etc/group (Dovecot takes names, not numbers). */
function groupName(gid: number): string | undefined {
  const line = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[2] === String(gid));
  return line?.split(':')[0];
}

/** A running private Dovecot: one user, its maildir in a temp folder. */
export interface Dovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  dir: string;
  /** The server's log (errors when a test fails). */
  log(): string;
  stop(): Promise<void>;
}

/** Why Dovecot cannot run here, or undefined when it can. */
export function dovecotMissing(): string | undefined {
  return existsSync(DOVECOT) ? undefined : `${DOVECOT} not found: install Debian's dovecot-imapd (.ci/run does)`;
}

/**
 * Starts Dovecot in the foreground with its own config in a temp folder: IMAP on 127.0.0.1 and a
 * free port, no TLS, plaintext login, a passwd-file with one user, maildir mail. Run as a normal
 * user, every Dovecot process runs as that user. Run as root (CI containers), Dovecot refuses
 * root for its login processes and for mail access, so it uses the accounts the Debian package
 * creates: `dovenull` for logins and `dovecot` for internal processes and the mail files.
 */
export async function startDovecot(user = ADDRESS, pass = IMAP_PASS): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-dovecot-'));
  chmodSync(dir, 0o755);
  const root = process.getuid?.() === 0;
  const me = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const mailOwner = root ? (account('dovecot') ?? me) : me;
  const loginUser = root ? 'dovenull' : userInfo().username;
  const internalUser = root ? 'dovecot' : loginUser;
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  if (root) chownSync(join(dir, 'mail'), mailOwner.uid, mailOwner.gid);
  const port = await freePort();
  writeFileSync(join(dir, 'users'), `${user}:{PLAIN}${pass}::::::\n`);
  writeFileSync(
    join(dir, 'dovecot.conf'),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
instance_name = parley-test-${port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
default_internal_group = ${root ? 'dovecot' : (groupName(me.gid) ?? String(me.gid))}
first_valid_uid = ${mailOwner.uid}
first_valid_gid = ${mailOwner.gid}
mail_location = maildir:${dir}/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/users
  default_fields = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${dir}/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const log = () => `${stderr}${existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : ''}`;
  await waitForPort(port, 10_000, () => child.exitCode !== null).catch((err: Error) => {
    child.kill('SIGKILL');
    const message = `Dovecot did not start: ${err.message}\n${log()}`;
    rmSync(dir, { recursive: true, force: true });
    throw new Error(message);
  });
  return {
    host: '127.0.0.1',
    port,
    user,
    pass,
    dir,
    log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, timeoutMs: number, dead: () => boolean): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (dead()) throw new Error('dovecot exited');
    const open = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
      s.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
}

/** An IMAP client of the test mailbox, for delivering mail (APPEND) and reading flags. */
async function mailboxClient(server: Dovecot): Promise<ImapFlow> {
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, auth: { user: server.user, pass: server.pass }, logger: false });
  await client.connect();
  return client;
}

/** Delivers a raw message into INBOX, unseen. */
export async function deliver(server: Dovecot, raw: Buffer | string): Promise<void> {
  const client = await mailboxClient(server);
  try {
    await client.append('INBOX', Buffer.from(raw), []);
  } finally {
    await client.logout();
  }
}

/** The flags of every message in INBOX, by UID. */
export async function inboxFlags(server: Dovecot): Promise<Map<number, string[]>> {
  const client = await mailboxClient(server);
  const out = new Map<number, string[]>();
  try {
    const lock = await client.getMailboxLock('INBOX');
    try {
      for await (const m of client.fetch('1:*', { uid: true, flags: true })) out.set(m.uid, [...(m.flags ?? [])]);
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
  return out;
}

/** One mail the SMTP server took. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

/**
 * A local SMTP server (smtp-server, the server half of nodemailer's project) that keeps every
 * mail. `reject` answers RCPT TO for an address with an SMTP error, as a real server would.
 */
export async function startSmtpServer(reject: Record<string, { code: number; message: string }> = {}) {
  const received: ReceivedMail[] = [];
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'smtp-user' && auth.password === 'smtp-pass') callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const rule = reject[address.address.toLowerCase()];
      if (rule) callback(Object.assign(new Error(rule.message), { responseCode: rule.code }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        void simpleParser(raw).then((parsed) => {
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          received.push({ envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) }, raw, parsed });
          callback();
        }, callback);
      });
    },
  };
  const server = new SMTPServer(options);
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
