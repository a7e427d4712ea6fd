#!/usr/bin/env node
// Entry point: registers the TypeScript loader, then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// A start that failed half-way can leave timers and sockets open: a failure ends the process now.
if (code !== 0) process.exit(code);
