// The action's entry point (bundled to dist/index.js). Everything happens in ./github/main.ts.
import * as core from '@actions/core';
import { run } from './github/main';

let finished = false;
// If a promise could never settle, Node would exit quietly with success: fail the step instead.
process.on('beforeExit', () => {
  if (!finished) {
    finished = true;
    core.setFailed('RuleGate could not run: the run stopped before producing a report (internal error)');
  }
});
void run().finally(() => {
  finished = true;
});
