// SIGUSR1 opens Node's inspector (a debugger port on 127.0.0.1) to anyone who may signal this process,
// rule code of the same user included. With a listener installed the signal does nothing. The front ends
// import this module first, so a RuleGate process is immune from its first tick, long before rule code runs;
// the pool calls it too for callers that use the pipeline as a library.

let ignored = false;

export function ignoreInspectorSignal(): void {
  if (ignored || process.platform === 'win32') return;
  ignored = true;
  process.on('SIGUSR1', () => undefined);
}

ignoreInspectorSignal();
