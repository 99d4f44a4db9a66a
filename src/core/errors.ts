/** The tool cannot run at all (bad option, no Python while Python rules exist, unreadable root): exit code 2. */
export class FatalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FatalError';
  }
}
