// The action's entry point (bundled to dist/index.js). Everything happens in ./github/main.ts.
import { run } from './github/main';

void run();
