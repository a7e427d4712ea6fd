import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The project root: benches run `bin/parley.js` from here. */
export const root = new URL('..', import.meta.url).pathname;

/** `--name <number>` from the command line, or `def`. */
export function numberArg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

/** A port nobody listens on now (the OS picks it), for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child process and resolves once its stdout shows `ready`. */
export function startChild(args: string[], env: Record<string, string>, ready: string, cwd = root): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      if (out.includes(ready)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });
}

/** A Parley gateway in its own process, on a throwaway SQLite file. */
export interface ParleyProcess {
  port: number;
  pid: number;
  url: string;
  /** Stops the gateway and removes its data folder. */
  stop(): Promise<void>;
}

/**
 * Starts `parley start` with the given YAML lines appended to a bench config (silent log, its own
 * data folder). `storage` replaces the SQLite `storage:` block (a Postgres one, say; its data folder
 * is then the caller's). `BENCH_PROF=<dir>` writes a CPU profile; `BENCH_LOG=<level>` shows its log.
 */
export async function startParley(extraYaml: string[], storage?: string): Promise<ParleyProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  const config = join(dir, 'gateway.yaml');
  const port = await freePort();
  writeFileSync(
    config,
    [
      `server: { port: 0, host: 127.0.0.1, publicUrl: "http://127.0.0.1:${port}" }`,
      `storage: ${storage ?? `{ sqlite: { path: "${join(dir, 'parley.db')}" }, dataDir: "${dir}" }`}`,
      `log: { level: ${process.env.BENCH_LOG ?? 'silent'} }`,
      ...extraYaml,
    ].join('\n'),
  );
  const profile = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = await startChild([...profile, 'bin/parley.js', 'start', '--config', config], { PORT: String(port) }, 'Parley is running');
  child.stdout?.on('data', (d) => process.env.BENCH_LOG && process.stderr.write(d));
  return {
    port,
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process in MiB from /proc (Linux): now (VmRSS) and its peak (VmHWM). */
export function rssMiB(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/**
 * CPU time a process has used so far, in milliseconds (user + system, from /proc on Linux). A
 * difference over a run divided by its turns is the cost of a turn: unlike turns per second,
 * it hardly moves with what else the machine is doing.
 */
export function cpuMs(pid: number): number {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * CPU time (ms) used so far by the local Postgres server's processes (the postmaster and its
 * backends): what a turn costs the database when it runs on the same machine. Backends that
 * exited in between are not counted; the benches keep their connections open.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuMs(Number(pid));
    } catch {
      // The process ended while we looked.
    }
  }
  return total;
}
