// The action's entry point (bundled to dist/index.js). Everything happens in ./github/main.ts.
// It exports run() for GitHub's local-action debugger (`npx @github/local-action run . src/index.ts .env`),
// which requires the entry and calls run() itself. The runner only loads the file; so the action starts
// on its own unless run() was called in the same turn of the event loop as the load (never twice).
import './core/inspector'; // first: SIGUSR1 must never open the inspector (see the module)
import * as core from '@actions/core';
import { run as runAction } from './github/main';

let started: Promise<void> | undefined;
let finished = false;

export function run(): Promise<void> {
  started ??= runAction().finally(() => {
    finished = true;
  });
  return started;
}

// If a promise could never settle, Node would exit quietly with success: fail the step instead.
process.on('beforeExit', () => {
  if (started && !finished) {
    finished = true;
    core.setFailed('RuleGate could not run: the run stopped before producing a report (internal error)');
  }
});
setImmediate(() => void run());
