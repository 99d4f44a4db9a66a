// `rulegate publish REPORT.json [options]`: publish a saved JSON report to GitHub (check run, sticky
// comment, annotations, job summary) without running anything — the second half of the fork-safe
// pair (a `workflow_run` job that never checks out or runs pull-request code).
import * as fs from 'fs';
import { parseArgs } from 'util';
import { renderJunit } from '../render/junit';
import { renderSarif } from '../render/sarif';
import { safeLogLine } from './commands';
import { InputError } from './inputs';
import { checkNameFor, commentKeyFor, gateFails, publishContextFromEnv, publishReport, readReport } from './publish';

export const PUBLISH_USAGE = `Usage: rulegate publish REPORT.json [options]

Publish a RuleGate JSON report to GitHub without running anything: a check run on the commit,
one sticky pull-request comment, workflow-command annotations and the job summary. Reads the
GitHub Actions environment (GITHUB_REPOSITORY, GITHUB_EVENT_NAME, GITHUB_EVENT_PATH,
GITHUB_API_URL, GITHUB_SERVER_URL, GITHUB_STEP_SUMMARY, GITHUB_RUN_ID) and GITHUB_TOKEN.

Options:
  --token TOKEN               GitHub token (default: env GITHUB_TOKEN)
  --check-run auto|never      create a check run (default auto)
  --comment auto|always|never sticky pull-request comment (default auto: only with findings or an earlier comment)
  --annotations auto|always|never  workflow-command annotations (default auto)
  --fail-on error|warning|never    exit 1 when the report has errors / warnings (default never)
  --sarif FILE                also write SARIF 2.1.0
  --junit FILE                also write JUnit XML`;

const CHOICES: Record<string, readonly string[]> = {
  'check-run': ['auto', 'never'],
  comment: ['auto', 'always', 'never'],
  annotations: ['auto', 'always', 'never'],
  'fail-on': ['error', 'warning', 'never'],
};

/** Exit code: 0 published; 1 the report fails `--fail-on`; 2 bad usage or unreadable report. */
export async function runPublishCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        token: { type: 'string' },
        'check-run': { type: 'string' },
        comment: { type: 'string' },
        annotations: { type: 'string' },
        'fail-on': { type: 'string' },
        sarif: { type: 'string' },
        junit: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    process.stderr.write(`rulegate publish: ${(e as Error).message}\n\n${PUBLISH_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(PUBLISH_USAGE + '\n');
    return 0;
  }
  if (positionals.length !== 1) {
    process.stderr.write(`rulegate publish: give exactly one JSON report.\n\n${PUBLISH_USAGE}\n`);
    return 2;
  }
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const v = values[name];
    if (v !== undefined && !allowed.includes(String(v))) {
      process.stderr.write(`rulegate publish: invalid value '${v}' for --${name}. Allowed values: ${allowed.join(', ')}.\n`);
      return 2;
    }
  }
  try {
    const report = readReport(positionals[0]);
    const ctx = await publishContextFromEnv({
      token: typeof values.token === 'string' ? values.token : undefined,
      checkRun: values['check-run'] as 'auto' | 'never' | undefined,
      comment: values.comment as 'auto' | 'always' | 'never' | undefined,
      annotations: values.annotations as 'auto' | 'always' | 'never' | undefined,
      failOn: (values['fail-on'] as 'error' | 'warning' | 'never' | undefined) ?? 'never',
      commentKey: commentKeyFor(report.root),
      checkName: checkNameFor(report.root),
      env,
    });
    ctx.info = (line) => void process.stderr.write(line + '\n');
    await publishReport(report, ctx);
    if (typeof values.sarif === 'string') fs.writeFileSync(values.sarif, renderSarif(report));
    if (typeof values.junit === 'string') fs.writeFileSync(values.junit, renderJunit(report));
    const failOn = (values['fail-on'] as 'error' | 'warning' | 'never' | undefined) ?? 'never';
    return failOn !== 'never' && gateFails(report, failOn) ? 1 : 0;
  } catch (e) {
    const message = e instanceof InputError ? e.message.replace(/^Input 'publish-report': /, '') : (e as Error).message;
    process.stderr.write(safeLogLine(`rulegate publish: ${message}`) + '\n');
    return 2;
  }
}
