#!/usr/bin/env node
// `points-sandbox`: the local Points sandbox (demo/sandbox/cli.ts). Runs the TypeScript source in a clone of
// the repository and the build (lib/) in an installed package, where Node does not strip types.
import './require-node.js';
import { existsSync } from 'node:fs';

const source = new URL('../demo/sandbox/cli.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('../lib/demo/sandbox/cli.js', import.meta.url).href);
