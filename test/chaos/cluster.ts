/**
 * The deployment's topology as local processes: gateways (`parley start`) on one Postgres
 * schema, each with the same channels, pointed at the local platform servers and model.
 * An instance can be killed with SIGKILL and started again on the same port.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/server/gateway.js';
import { WA } from '../support/local-channels.js';

export const TG = { token: '123456:CHAOS-token', secret: 'tg-secret' };
export const LINE = { secret: 'line-secret', token: 'line-token' };
const POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Where the cluster's peers listen. */
export interface ClusterPeers {
  telegram: string;
  whatsapp: string;
  line: string;
  model: string;
}

function configYaml(port: number, schema: string, dir: string, peers: ClusterPeers, queue: string): string {
  return `
server: { port: 0, host: 127.0.0.1, publicUrl: "http://127.0.0.1:${port}" }
storage: { driver: postgres, postgres: { url: "${POSTGRES_URL}", schema: ${schema} }, dataDir: "${dir}" }
shop: { name: Chaos Shop, languages: [en], defaultLanguage: en, workingLanguage: en }
knowledge: { dir: "${join(projectRoot, 'config/knowledge')}" }
llm: { enabled: true, baseURL: "${peers.model}", model: test, apiKey: test, timeoutMs: 10000, budget: { tokensPerConversation: 0, tokensPerDay: 0 } }
queue: { ${queue} }
rateLimits: { webchatMessage: { max: 0 }, webchatSession: { max: 0 } }
# A handoff ends the bot's answers; this run counts the bot's.
handoff: { lowConfidenceStreak: 0, detectEmotion: false }
log: { level: "\${LOG_LEVEL:-silent}" }
channels:
  webchat: { type: webchat }
  tg: { type: telegram, token: "${TG.token}", secretToken: ${TG.secret}, apiRoot: "${peers.telegram}" }
  wa:
    type: whatsapp
    phoneNumberId: "${WA.pnid}"
    accessToken: ${WA.token}
    appSecret: ${WA.secret}
    verifyToken: ${WA.verify}
    graphBaseUrl: "${peers.whatsapp}"
  line: { type: line, channelSecret: ${LINE.secret}, channelAccessToken: ${LINE.token}, apiBaseUrl: "${peers.line}", dataApiBaseUrl: "${peers.line}" }
`;
}

/** One gateway process slot: its port and config stay, the process comes and goes. */
export class Instance {
  child: ChildProcess | undefined;
  alive = false;
  starts = 0;
  private exited: Promise<unknown> = Promise.resolve();

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly configFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts `parley start` and resolves once it listens. */
  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/parley.js'), 'start', '--config', this.configFile], {
      cwd: projectRoot,
      env: { ...process.env, PORT: String(this.port), LOG_LEVEL: process.env.CHAOS_LOG ?? 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    child.stderr?.on('data', (d) => (process.env.CHAOS_LOG ? process.stderr.write(`${this.name}: ${d}`) : (output += d)));
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        if (process.env.CHAOS_LOG) process.stderr.write(`${this.name}: ${d}`);
        output += d;
        if (output.includes('Parley is running')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${this.name} exited (${code}) before listening:\n${output.slice(-2000)}`)));
    });
    this.starts += 1;
    this.alive = true;
  }

  /** SIGKILL: no drain, no lease release, sockets cut. */
  async kill(): Promise<void> {
    this.alive = false;
    this.child?.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait: the orderly stop at the end of a run. */
  async stop(): Promise<void> {
    this.alive = false;
    this.child?.kill('SIGTERM');
    await this.exited;
  }
}

/** Writes one config per instance (same schema, same channels) and returns the unstarted slots. */
export function makeInstances(count: number, ports: number[], schema: string, dir: string, peers: ClusterPeers, queue: string): Instance[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `gw${i + 1}`;
    const port = ports[i] as number;
    mkdirSync(join(dir, name), { recursive: true });
    const configFile = join(dir, `${name}.yaml`);
    writeFileSync(configFile, configYaml(port, schema, join(dir, name), peers, queue));
    return new Instance(name, port, configFile);
  });
}
