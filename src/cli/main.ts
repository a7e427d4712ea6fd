import { isParleyError } from '../core/errors.js';
import { configPath, loadConfig } from '../config/load.js';
import { channelDefinitions } from '../server/channels.js';
import { startGateway } from '../server/gateway.js';
import { check, missingSettings } from './check.js';

const usage = `Usage: parley <command> [--config <file>]

Commands:
  start    run the gateway
  check    validate the configuration and list channels, webhook URLs and missing settings
`;

/** The `parley` command. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command = 'start'] = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--config');
  const file = configPath(argv, process.env);
  try {
    switch (command) {
      case 'start':
        return await start(file);
      case 'check':
        return await check(file, process.env, (line) => process.stdout.write(`${line}\n`));
      case 'help':
        process.stdout.write(usage);
        return 0;
      default:
        process.stderr.write(`Unknown command "${command}".\n${usage}`);
        return 2;
    }
  } catch (err) {
    if (isParleyError(err)) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

async function start(file: string): Promise<number> {
  const config = loadConfig(file, process.env, channelDefinitions);
  const missing = missingSettings(config);
  if (missing.length) {
    process.stderr.write(
      `Configuration ${config.source} is incomplete; Parley did not start:\n${missing.join('\n')}\nRun \`parley check\` for the whole report.\n`,
    );
    return 1;
  }
  // Listening for signals before anything starts: one that arrives while starting (or the moment
  // "running" is printed) still drains and exits 0; a second one while closing stops at once.
  let signals = 0;
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      if (++signals > 1) process.exit(1);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const gateway = await startGateway(config);
  process.stdout.write(`Parley is running: open ${gateway.url.replace('127.0.0.1', 'localhost')}\n`);
  await stopped;
  await gateway.close();
  return 0;
}
