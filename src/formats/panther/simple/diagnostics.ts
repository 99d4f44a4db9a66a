// Findings of the simple-detection validator: one finding per problem, at the exact line of the
// offending node, with the path into the file in the message (`Detection[0].Any[1]: …`).
import type { Item, PathStep, RawFinding } from '../../../core/types';

export type Path = readonly PathStep[];

export const ERROR_CODE = 'schema/match-expression';
export const WARNING_CODE = 'schema/match-expression-warning';

export function pathText(path: Path): string {
  let out = '';
  for (const s of path) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

export class Diagnostics {
  readonly findings: RawFinding[] = [];
  constructor(private readonly item: Item) {}

  /** Reports an error at `path` (the value there; `key: true` points at the key token instead). Returns its message. */
  error(path: Path, message: string, opts: { hint?: string; key?: boolean } = {}): string {
    return this.add(ERROR_CODE, path, message, opts);
  }

  warn(path: Path, message: string, opts: { hint?: string; key?: boolean } = {}): string {
    return this.add(WARNING_CODE, path, message, opts);
  }

  line(path: Path): number {
    return this.item.positions.valueAt(path).line;
  }

  private add(code: string, path: Path, message: string, opts: { hint?: string; key?: boolean }): string {
    const pos = opts.key ? this.item.positions.keyAt(path) : this.item.positions.valueAt(path);
    const text = `${pathText(path)}: ${message}`;
    const f: RawFinding = { code, file: this.item.file, line: pos.line, column: pos.column, message: text };
    if (code === WARNING_CODE) f.severity = 'warning';
    if (this.item.id !== undefined) f.itemId = this.item.id;
    if (opts.hint) f.hint = opts.hint;
    this.findings.push(f);
    return `line ${pos.line}: ${text}`;
  }
}
