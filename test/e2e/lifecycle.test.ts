import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/server/gateway.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, spawnGateway, type TestSite } from '../support/gateway.js';

/** Runs `parley start` on a config and collects how it ended: code and what it printed. */
function runStart(site: TestSite, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/parley.js'), 'start', '--config', site.configFile], {
    cwd: site.dir,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  // A start that hangs is the failure this file guards against: kill it well before the test times out.
  const guard = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, output });
    }),
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('parley start: fail fast, stop clean', () => {
  let site: TestSite | undefined;
  afterEach(() => site?.cleanup());

  it('exits 0 on SIGTERM after draining', async () => {
    site = makeSite();
    const gateway = await spawnGateway(site, await freePort());
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);

  it('exits 0 on SIGTERM after a report ran on the SQLite reader thread', async () => {
    const admin = { email: 'lead@shop.test', password: 'lead-password-123' };
    site = makeSite(`console: { admin: { email: "${admin.email}", password: "${admin.password}", name: Lead } }`);
    const gateway = await spawnGateway(site, await freePort());
    const lead = await ConsoleClient.login(gateway.url, admin.email, admin.password);
    const report = await lead.call('GET', '/reports/volume?from=2026-03-01&to=2026-03-07');
    expect(report.status).toBe(200);
    expect(report.body.tables[0].rows).toHaveLength(7);
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
  }, 60_000);

  it('exits non-zero with the report when a channel misses a required setting, and never serves', async () => {
    site = makeSite('channels: { tg: { type: telegram } }');
    const { code, output } = await runStart(site, { TELEGRAM_BOT_TOKEN: '' });
    expect(code).toBe(1);
    expect(output).toContain('TELEGRAM_BOT_TOKEN');
    expect(output).not.toContain('Parley is running');
  }, 60_000);

  it('exits non-zero with an actionable message when the knowledge folder is missing', async () => {
    site = makeSite();
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(
      site.configFile,
      readFileSync(site.configFile, 'utf8').replace(/knowledge: \{ dir: "[^"]+" \}/, `knowledge: { dir: "${join(site.dir, 'nowhere')}" }`),
    );
    const { code, output } = await runStart(site);
    expect(code).toBe(1);
    expect(output).toMatch(/knowledge\.dir/);
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 60_000);

  it('exits non-zero naming the port when it is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      site = makeSite();
      const { code, output } = await runStart(site, { PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(String(port));
      expect(output).toMatch(/server\.port|PORT/);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 60_000);
});
