#!/usr/bin/env node
// Entry point: sets how far V8's heap grows, registers the TypeScript loader, then hands over to the CLI.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// Between two full collections V8 lets the old generation grow to up to 4x what survived the
// last one (the factor follows its GC and allocation speeds): under steady traffic a gateway
// with ~60 MB of live objects sat at 340-470 MiB resident, most of it garbage waiting for the
// next collection. 1.25x keeps it near 240 MiB at no measurable cost in CPU per turn
// (bench/RESULTS.md, "memory"). Node refuses this flag in NODE_OPTIONS: to choose another factor,
// give it to node itself (`node --heap-growing-percent=100 bin/parley.js start`), which this
// leaves alone. --max-old-space-size and the other heap limits in NODE_OPTIONS apply as usual.
const HEAP_GROWING_PERCENT = 25;
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
if (!given.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// A start that failed half-way can leave timers and sockets open: a failure ends the process now.
if (code !== 0) process.exit(code);
