import { spawn, type ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../src/config/load.js';
import { silentLogger } from '../../src/core/ports.js';
import { channelDefinitions } from '../../src/server/channels.js';
import { type Gateway, type GatewayOptions, projectRoot, startGateway } from '../../src/server/gateway.js';

/** A throwaway data folder with a config file for one test gateway. */
export interface TestSite {
  dir: string;
  configFile: string;
  dbPath: string;
  cleanup(): void;
}

/** The YAML of a test gateway: ephemeral port, its own SQLite file, the demo knowledge base. */
export function testYaml(dbPath: string, extra = '', queue = 'retryBaseMs: 50, pollMs: 200'): string {
  return `
server: { port: 0, host: 127.0.0.1, publicUrl: "\${PUBLIC_URL:-http://127.0.0.1}" }
storage: { driver: sqlite, sqlite: { path: "${dbPath}" }, dataDir: "${join(dbPath, '..')}" }
shop: { name: Test Shop, languages: [en, es, zh-CN], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${join(projectRoot, 'config/knowledge')}" }
api: { keys: ["test-api-key-0123456789"] }
queue: { ${queue} }
log: { level: "\${LOG_LEVEL:-silent}" }
${extra}`;
}

/** Makes a folder with a config file; `extra` YAML is appended (e.g. a channels block). */
export function makeSite(extra = '', queue?: string): TestSite {
  const dir = mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  const dbPath = join(dir, 'parley.db');
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, testYaml(dbPath, extra, queue));
  return { dir, configFile, dbPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rows of a query on the site's SQLite file, opened read-only for the one query. */
export function readSite<T>(site: TestSite, sql: string, ...params: unknown[]): T[] {
  const db = new Database(site.dbPath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** How many events the site's inbox holds: nothing stored means this stays put. */
export function inboxRows(site: TestSite): number {
  return readSite<{ n: number }>(site, 'SELECT COUNT(*) AS n FROM inbox')[0]?.n ?? 0;
}

/** Starts a gateway in this process on the site's config. */
export async function startTestGateway(site: TestSite, options: GatewayOptions = {}): Promise<Gateway> {
  const { readFileSync } = await import('node:fs');
  const config = parseConfigText(readFileSync(site.configFile, 'utf8'), site.configFile, process.env, channelDefinitions);
  return startGateway(config, { log: silentLogger, ...options });
}

/** A gateway running as a child process (`node bin/parley.js start`), for crash tests. */
export interface ChildGateway {
  url: string;
  child: ChildProcess;
  /** Waits for the process to exit. */
  exited: Promise<number | null>;
}

/** Starts `parley start` as a child process on a fixed port and waits until it listens. */
export async function spawnGateway(site: TestSite, port: number, env: Record<string, string> = {}): Promise<ChildGateway> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/parley.js'), 'start', '--config', site.configFile], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stderr?.on('data', (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      output += d;
      if (output.includes('Parley is running')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`gateway exited (${code}) before listening:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, exited };
}
