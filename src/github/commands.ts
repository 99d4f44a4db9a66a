// Workflow commands on stdout (`::error file=…,line=…::message`). Escaping is exactly @actions/core's
// command.ts: data escapes % CR LF; properties also escape : and ,. This is the one place that does it.

export type CommandProperties = Record<string, string | number | undefined>;

export function escapeData(s: unknown): string {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: unknown): string {
  return toCommandValue(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function toCommandValue(input: unknown): string {
  if (input === null || input === undefined) return '';
  if (typeof input === 'string' || input instanceof String) return String(input);
  return JSON.stringify(input);
}

/** `::name k=v,k=v::message` (properties in the order given, empty ones left out), without the line end. */
export function formatCommand(name: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '' && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`);
  return `::${name}${props.length ? ' ' + props.join(',') : ''}::${escapeData(message)}`;
}

/**
 * A log line that may hold text from the pull request (file names, rule output, API messages). The runner
 * reads a line as a command when it starts with `::` (after leading white space), and — the legacy syntax —
 * when it holds `##[` anywhere (`##[add-mask]…`, `##[stop-commands]…`); both are broken up with a
 * zero-width space. Lone carriage returns count as line ends too.
 */
export function safeLogLine(line: string): string {
  return String(line)
    .split(/\r\n|\r|\n/)
    .map((l) => (/^\s*::/.test(l) ? l.replace('::', ':\u200b:') : l).replace(/##\[/g, '##\u200b['))
    .join('\n');
}
