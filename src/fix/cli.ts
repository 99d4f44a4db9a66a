// `rulegate fix [ROOT] [--dry-run] [--code CODE…] [--filter …]`: applies the fixes RuleGate can
// prove and prints what it changed per file; --dry-run prints the unified diff instead.
// Exit codes: 0 nothing fixable is left, 1 fixable findings remain (overlapping fixes), 2 errors.
import * as path from 'path';
import { parseArgs } from 'util';
import { buildSettings } from '../core/settings';
import { FatalError } from '../core/errors';
import { isKnownCode } from '../core/codes';
import { parseFilter } from '../formats/panther/filters';
import { computeFixes, FixWriteError, patchOf, writeChanges } from '.';

export const FIX_USAGE = `Usage: rulegate fix [ROOT] [options]

Apply the fixes RuleGate can prove (ATT&CK migrations, comment names, ID typos, misspelled keys),
changing only the exact text of each finding. Prints what changed per file.

Options:
  --dry-run                 print a unified diff (for git apply) and change nothing
  --code CODE               only fix findings with this code; repeatable (e.g. mitre/revoked)
  --filter KEY=V1,V2        only items matching (KEY!=V excludes); repeatable, as in pat
  --config FILE             config file (default ROOT/.rulegate.yml)
  --attack-version V        ATT&CK version to migrate to (default newest shipped)
  --ignore GLOB             skip files matching GLOB; repeatable
  --include GLOB            also load files matching GLOB; repeatable

Exit codes: 0 nothing fixable is left, 1 fixable findings remain (their fixes overlap), 2 errors.`;

type Out = { write(text: string): unknown };

export async function runFixCommand(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'dry-run': { type: 'boolean' },
        code: { type: 'string', multiple: true },
        filter: { type: 'string', multiple: true },
        config: { type: 'string' },
        'attack-version': { type: 'string' },
        ignore: { type: 'string', multiple: true },
        include: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    err.write(`rulegate fix: ${(e as Error).message}\n\n${FIX_USAGE}\n`);
    return 2;
  }
  const v = parsed.values;
  if (v.help) {
    out.write(FIX_USAGE + '\n');
    return 0;
  }
  if (parsed.positionals.length > 1) {
    err.write(`rulegate fix: expected one ROOT folder, got ${parsed.positionals.length}: ${parsed.positionals.join(' ')}\n`);
    return 2;
  }
  const codes = v.code ?? [];
  const unknown = codes.filter((c) => !isKnownCode(c));
  if (unknown.length) {
    err.write(`rulegate fix: unknown finding code ${unknown.map((c) => `"${c}"`).join(', ')}; rulegate --list-codes prints them all\n`);
    return 2;
  }
  try {
    const rootArg = parsed.positionals[0] ?? '.';
    // the same settings as a check run: defaults < .rulegate.yml (severities, ignore, ATT&CK version) < options
    const options = buildSettings(
      { root: path.resolve(rootArg), rootArg, cwd: process.cwd() },
      {
        configPath: v.config,
        noTests: true,
        attackVersion: v['attack-version'],
        filters: (v.filter ?? []).map(parseFilter),
        ignore: v.ignore ?? [],
        include: v.include ?? [],
      },
    );

    const result = await computeFixes(options, { codes });
    const count = result.changes.reduce((n, c) => n + c.applied.length, 0);
    if (v['dry-run']) {
      out.write(patchOf(result.changes));
      err.write(`rulegate fix: ${count} ${count === 1 ? 'fix' : 'fixes'} in ${plural(result.changes.length, 'file')} would be applied (dry run, nothing written).\n`);
    } else {
      writeChanges(result.changes, options.root);
      for (const c of result.changes) {
        out.write(`${c.file}\n`);
        for (const a of c.applied) out.write(`  ${a}\n`);
      }
      out.write(`Fixed ${plural(count, 'finding')} in ${plural(result.changes.length, 'file')}${result.passes > 1 ? ` (${result.passes} passes)` : ''}.\n`);
    }
    if (result.remaining.length) {
      err.write(`rulegate fix: ${plural(result.remaining.length, 'fixable finding')} could not be fixed (their fixes overlap or did not settle within the pass limit):\n`);
      for (const f of result.remaining) err.write(`  ${f.file}:${f.line}  ${f.code}  ${f.fix?.description ?? ''}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof FatalError || e instanceof FixWriteError) {
      err.write(`rulegate fix: ${e.message}\n`);
      return 2;
    }
    err.write(`rulegate fix: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 2;
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
