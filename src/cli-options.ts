// The command line's options, in one table: it drives the parser (util.parseArgs), `--help`, and the
// README's option table (`npm run docs`; a test fails when the README drifts). To add an option,
// add a row here and read it in cli.ts.

export interface CliOption {
  name: string;
  type: 'string' | 'boolean';
  /** Repeatable (values collect into a list). */
  multiple?: boolean;
  short?: string;
  /** Placeholder of the value in the help, e.g. FILE. */
  arg?: string;
  /** One line for `--help` and the README. */
  help: string;
  /** Accepted spelling of another option (pat's names); not listed on its own. */
  aliasOf?: string;
}

export const CLI_OPTIONS: readonly CliOption[] = [
  { name: 'format', type: 'string', arg: 'text|json', help: 'output format (default text)' },
  { name: 'output', short: 'o', type: 'string', arg: 'FILE', help: 'write the report to FILE instead of stdout' },
  { name: 'sarif', type: 'string', arg: 'FILE', help: 'also write SARIF 2.1.0 to FILE' },
  { name: 'sarif-category', type: 'string', arg: 'NAME', help: 'code-scanning category of the SARIF run (default rulegate/ROOT; rulegate for .)' },
  { name: 'junit', type: 'string', arg: 'FILE', help: 'also write JUnit XML to FILE' },
  { name: 'fix-patch', type: 'string', arg: 'FILE', help: "also write the fixable findings' fixes as a patch (git apply FILE)" },
  { name: 'config', type: 'string', arg: 'FILE', help: 'config file (default ROOT/.rulegate.yml)' },
  { name: 'no-tests', type: 'boolean', help: 'validate only; do not run unit tests' },
  { name: 'python', type: 'string', arg: 'PATH', help: 'Python executable for rule code (default python3 on PATH)' },
  { name: 'jobs', type: 'string', arg: 'N', help: 'Python worker processes (default 0: one per CPU core)' },
  { name: 'test-timeout', type: 'string', arg: 'SECONDS', help: 'time limit per test (default 10)' },
  { name: 'sandbox', type: 'string', arg: 'LEVEL', help: 'isolation of rule code: auto (default), required, namespaces, none (README: Security model)' },
  { name: 'allow-network', type: 'boolean', help: 'let tests reach the network (off under the namespace sandbox)' },
  { name: 'memory-limit', type: 'string', arg: 'MIB', help: 'address-space limit per Python worker in MiB (default 2048; 0 = none)' },
  { name: 'attack-version', type: 'string', arg: 'V', help: 'ATT&CK version to validate against (default the newest shipped)' },
  { name: 'sigma-profile', type: 'string', arg: 'P', help: "Sigma checks: spec (default) or sigmahq (adds SigmaHQ's conventions)" },
  { name: 'sigma-config', type: 'string', arg: 'FILE', help: 'sigma-cli validation config (default tests/sigma_cli_conf.yml if present; none to ignore)' },
  { name: 'filter', type: 'string', multiple: true, arg: 'KEY=V1,V2', help: 'only items matching (KEY!=V excludes), as pat --filter; repeatable' },
  { name: 'minimum-tests', type: 'string', arg: 'N', help: 'require N tests per detection; N ≥ 2 also a true and a false case (default 0)' },
  { name: 'skip-disabled', type: 'boolean', help: 'skip detections with Enabled: false' },
  { name: 'skip-disabled-tests', type: 'boolean', aliasOf: 'skip-disabled', help: "pat's name of --skip-disabled" },
  { name: 'test-names', type: 'string', multiple: true, arg: 'NAME', help: 'only run tests with this exact name; repeatable' },
  { name: 'ignore', type: 'string', multiple: true, arg: 'GLOB', help: 'skip files matching GLOB (relative to ROOT); repeatable' },
  { name: 'ignore-files', type: 'string', multiple: true, arg: 'GLOB', aliasOf: 'ignore', help: "pat's name of --ignore" },
  { name: 'include', type: 'string', multiple: true, arg: 'GLOB', help: 'also load files matching GLOB; repeatable' },
  { name: 'changed', type: 'string', multiple: true, arg: 'FILE', help: 'pull-request mode: test only what FILE (repeatable) and its dependents touch' },
  { name: 'baseline', type: 'string', arg: 'FILE', help: 'accepted problems (default ROOT/.rulegate-baseline.json when it exists); under rulegate audit: the JSON report of an earlier audit, for the trend' },
  { name: 'base', type: 'string', arg: 'REF', help: 'compare with commit REF (e.g. origin/main): problems also there are existing, not new' },
  { name: 'fail-on-existing', type: 'boolean', help: 'strict: existing and accepted problems fail too (default: only new ones)' },
  { name: 'show-failures-only', type: 'boolean', help: 'text output: list failing tests only' },
  { name: 'no-color', type: 'boolean', help: 'plain text output' },
  { name: 'list-codes', type: 'boolean', help: 'print every finding code with its default severity' },
  { name: 'navigator', type: 'string', arg: 'FILE', help: 'audit only: write the coverage as an ATT&CK Navigator layer (format 4.5)' },
  { name: 'html', type: 'string', arg: 'FILE', help: 'audit only: write the self-contained HTML report (matrix heat map, lints, forecast, trend)' },
  { name: 'version', type: 'boolean', help: 'print the version' },
  { name: 'help', short: 'h', type: 'boolean', help: 'print this help' },
];

/** Options that only `rulegate audit` takes. */
// (--baseline is not among them: outside an audit it names the accepted-problems file.)
export const AUDIT_OPTIONS = ['navigator', 'html'] as const;

/** The options in util.parseArgs's shape. */
export function parseArgsOptions(): Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> {
  const out: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const o of CLI_OPTIONS) out[o.name] = { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) };
  return out;
}

/** `--name ARG` as shown in the help and the README. */
export function optionSyntax(o: CliOption): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.name}${o.arg ? ` ${o.arg}` : ''}`;
}

export function usageText(): string {
  const listed = CLI_OPTIONS.filter((o) => !o.aliasOf);
  const width = Math.max(...listed.map((o) => optionSyntax(o).length)) + 2;
  const aliases = CLI_OPTIONS.filter((o) => o.aliasOf).map((o) => `--${o.name} (= --${o.aliasOf})`);
  return [
    'Usage: rulegate [ROOT] [options]',
    '       rulegate audit [ROOT] [options] (the full check, then ATT&CK coverage, quality lints, upgrade forecast, trend)',
    '       rulegate publish REPORT.json   (publish a saved JSON report to GitHub; no rule code runs)',
    '       rulegate fix [ROOT] [options]   (apply the fixes RuleGate can prove; rulegate fix --help lists its options)',
    "       rulegate baseline [ROOT] [options]   (accept today's problems: write ROOT/.rulegate-baseline.json)",
    '',
    'Validate a Panther rule repository: schema, references, MITRE ATT&CK, and every embedded unit test.',
    'Settings: defaults < ROOT/.rulegate.yml (or --config) < these options.',
    '',
    'Options:',
    ...listed.map((o) => `  ${optionSyntax(o).padEnd(width)}${o.help}`),
    '',
    `Also accepted: ${aliases.join(', ')}`,
  ].join('\n');
}

/** Typed access to util.parseArgs's values (whose type is lost when the option table is built at run time). */
export function optionValues(values: Record<string, unknown>) {
  return {
    str: (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined),
    flag: (name: string): boolean => values[name] === true,
    list: (name: string): string[] => (Array.isArray(values[name]) ? (values[name] as string[]) : []),
  };
}
