// Unit tests run the TypeScript sources through ts-jest; end-to-end tests run the committed dist/.
const fs = require('fs');
const os = require('os');
const path = require('path');

// One fresh Python cache folder per test run (set before the workers start, so all of them see it):
// results must not depend on what an earlier run left in the shared temp folder.
process.env.RULEGATE_PYCACHE ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rulegate-test-pycache-'));

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 60000,
};
