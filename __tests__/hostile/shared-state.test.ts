// State shared through a global helper across detections: pat imports each helper once and runs
// every detection in walk order in one process. With --jobs 1 RuleGate does the same (one worker,
// walk order), so a counter kept in a helper reads exactly as in pat. (With several workers each
// worker has its own copy of the helper: packs relying on this need --jobs 1.)
import * as path from 'path';
import { FIXTURES, runPack } from './helpers';

test('--jobs 1: detections run in walk order and share helper state as in pat', async () => {
  const report = await runPack(path.join(FIXTURES, 'shared_state'), { jobs: 1 });
  expect(report.tests.map((t) => [t.itemId, t.name, t.passed])).toEqual([
    ['Shared.a', 'first call of a', true],
    ['Shared.a', 'second call of a', true],
    ['Shared.b', 'first call of b', true],
    ['Shared.b', 'second call of b', true],
    ['Shared.c', 'first call of c', true],
    ['Shared.c', 'second call of c', true],
  ]);
}, 30_000);
