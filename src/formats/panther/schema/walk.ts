// A small evaluator for the zod schemas of schemas.ts. Each schema's definition is compiled
// once into a plain node tree; walking it reports issues in zod's own shape without building
// output values. On the 1,300 files of the public pack this is several times faster than
// safeParse and allocates almost nothing, which matters on a cold start (the schema stage must
// stay well under 100 ms). It supports exactly the zod features schemas.ts uses; for anything
// else compile() refuses and the caller falls back to zod's safeParse, so a new schema feature
// can never be silently ignored.
import type { z } from 'zod';
import type { PathStep } from '../../../core/types';

/** The subset of zod issue fields report.ts reads. */
export interface WalkIssue {
  code: string;
  path: PathStep[];
  expected?: string;
  keys?: string[];
  values?: unknown[];
  params?: Record<string, unknown>;
  message?: string;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
  out?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  keyType?: z.ZodType;
  entries?: Record<string, unknown>;
  values?: unknown[];
  fn?: (v: unknown) => unknown;
  params?: Record<string, unknown>;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  catchall?: z.ZodType;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  length?: number;
  error?: (issue: unknown) => unknown;
}

type Check =
  | { kind: 'regex'; pattern: RegExp; message: string }
  | { kind: 'min'; minimum: number; message: string }
  | { kind: 'len'; length: number; message: string };

type Node =
  | { t: 'any' }
  | { t: 'opt'; inner: Node }
  | { t: 'pipe'; first: Node; then: Node }
  | { t: 'custom'; fn: (v: unknown) => unknown; params?: Record<string, unknown> }
  | { t: 'string'; checks: Check[] }
  | { t: 'boolean' }
  | { t: 'enum'; values: unknown[] }
  | { t: 'array'; element: Node; checks: Check[] }
  | { t: 'object'; keys: string[]; nodes: Node[]; required: boolean[]; requiredCount: number; strict: boolean; index: Map<string, number> }
  | { t: 'record'; value: Node };

class Unsupported extends Error {}

const defOf = (t: z.ZodType): Def => (t as unknown as { _zod: { def: Def } })._zod.def;

function checkMessage(c: CheckDef, fallback: string): string {
  const m = c.error?.({});
  if (typeof m === 'string') return m;
  if (m && typeof (m as { message?: unknown }).message === 'string') return (m as { message: string }).message;
  return fallback;
}

function compileChecks(def: Def): Check[] {
  return (def.checks ?? []).map(({ _zod }) => {
    const c = _zod.def;
    if (c.check === 'string_format' && c.format === 'regex' && c.pattern)
      return { kind: 'regex', pattern: c.pattern, message: checkMessage(c, `must match ${c.pattern}`) };
    if (c.check === 'min_length' && c.minimum !== undefined)
      return { kind: 'min', minimum: c.minimum, message: checkMessage(c, `must have at least ${c.minimum}`) };
    if (c.check === 'length_equals' && c.length !== undefined)
      return { kind: 'len', length: c.length, message: checkMessage(c, `must have exactly ${c.length}`) };
    throw new Unsupported(c.check);
  });
}

function compile(schema: z.ZodType): Node {
  const def = defOf(schema);
  switch (def.type) {
    case 'unknown':
    case 'any':
      return { t: 'any' };
    case 'optional':
      return { t: 'opt', inner: compile(def.innerType!) };
    case 'pipe':
      return { t: 'pipe', first: compile(def.in!), then: compile(def.out!) };
    case 'custom':
      if (def.checks?.length) throw new Unsupported('custom checks');
      return { t: 'custom', fn: def.fn!, params: def.params };
    case 'string':
      return { t: 'string', checks: compileChecks(def) };
    case 'boolean':
      if (def.checks?.length) throw new Unsupported('boolean checks');
      return { t: 'boolean' };
    case 'enum':
      return { t: 'enum', values: Object.values(def.entries!) };
    case 'literal':
      return { t: 'enum', values: def.values! };
    case 'array':
      return { t: 'array', element: compile(def.element!), checks: compileChecks(def) };
    case 'object': {
      // strictObject has a `never` catchall (unknown keys are issues); a plain object strips them
      const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
      if (def.catchall !== undefined && !strict) throw new Unsupported('catchall');
      const keys = Object.keys(def.shape!);
      const nodes = keys.map((k) => compile(def.shape![k]));
      const required = nodes.map((n) => n.t !== 'opt');
      const index = new Map(keys.map((k, i) => [k, i]));
      return { t: 'object', keys, nodes, required, requiredCount: required.filter(Boolean).length, strict, index };
    }
    case 'record':
      if (defOf(def.keyType!).type !== 'string' || defOf(def.keyType!).checks?.length) throw new Unsupported('record keys');
      return { t: 'record', value: compile(def.valueType!) };
    default:
      throw new Unsupported(def.type);
  }
}

const compiled = new WeakMap<z.ZodType, Node | null>();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

class Walker {
  readonly issues: WalkIssue[] = [];
  private readonly path: PathStep[] = [];

  private issue(i: Omit<WalkIssue, 'path'>): void {
    this.issues.push({ ...i, path: this.path.slice() });
  }

  private checks(checks: Check[], v: string | unknown[]): void {
    for (const c of checks) {
      if (c.kind === 'regex') {
        c.pattern.lastIndex = 0;
        if (!c.pattern.test(v as string)) this.issue({ code: 'invalid_format', message: c.message });
      } else if (c.kind === 'min') {
        if (v.length < c.minimum) this.issue({ code: 'too_small', message: c.message });
      } else if (v.length !== c.length) this.issue({ code: v.length < c.length ? 'too_small' : 'too_big', message: c.message });
    }
  }

  /** Returns false when an issue was recorded (a pipe stops there, as in zod). */
  visit(node: Node, v: unknown): boolean {
    const before = this.issues.length;
    switch (node.t) {
      case 'any':
        break;
      case 'opt':
        if (v !== undefined) this.visit(node.inner, v);
        break;
      case 'pipe':
        if (this.visit(node.first, v)) this.visit(node.then, v);
        break;
      case 'custom':
        if (!node.fn(v)) this.issue({ code: 'custom', params: node.params });
        break;
      case 'string':
        if (typeof v !== 'string') this.issue({ code: 'invalid_type', expected: 'string' });
        else if (node.checks.length) this.checks(node.checks, v);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') this.issue({ code: 'invalid_type', expected: 'boolean' });
        break;
      case 'enum':
        if (!node.values.includes(v)) this.issue({ code: 'invalid_value', values: node.values });
        break;
      case 'array':
        if (!Array.isArray(v)) {
          this.issue({ code: 'invalid_type', expected: 'array' });
          break;
        }
        for (let i = 0; i < v.length; i++) {
          this.path.push(i);
          this.visit(node.element, v[i]);
          this.path.pop();
        }
        if (node.checks.length) this.checks(node.checks, v);
        break;
      case 'object': {
        if (!isObject(v)) {
          this.issue({ code: 'invalid_type', expected: 'object' });
          break;
        }
        // walk the keys the mapping has (usually far fewer than the schema allows)
        let requiredSeen = 0;
        let unknown: string[] | undefined;
        for (const key of Object.keys(v)) {
          const i = node.index.get(key);
          if (i === undefined) {
            if (node.strict) (unknown ??= []).push(key);
            continue;
          }
          if (node.required[i]) requiredSeen++;
          this.path.push(key);
          this.visit(node.nodes[i], v[key]);
          this.path.pop();
        }
        if (requiredSeen < node.requiredCount) {
          for (let i = 0; i < node.keys.length; i++) {
            if (!node.required[i] || hasOwn(v, node.keys[i])) continue;
            // as zod does: the missing value is checked as undefined (report.ts sees the key is absent)
            this.path.push(node.keys[i]);
            if (node.nodes[i].t === 'any') this.issue({ code: 'invalid_type', expected: 'nonoptional' });
            else this.visit(node.nodes[i], undefined);
            this.path.pop();
          }
        }
        if (unknown) this.issue({ code: 'unrecognized_keys', keys: unknown });
        break;
      }
      case 'record':
        if (!isObject(v)) {
          this.issue({ code: 'invalid_type', expected: 'object' });
          break;
        }
        for (const key of Object.keys(v)) {
          this.path.push(key);
          this.visit(node.value, v[key]);
          this.path.pop();
        }
        break;
    }
    return this.issues.length === before;
  }
}

/** Issues of `value` against `schema`, or undefined when the schema uses a feature not handled here. */
export function walk(schema: z.ZodType, value: unknown): WalkIssue[] | undefined {
  let node = compiled.get(schema);
  if (node === undefined) {
    try {
      node = compile(schema);
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      node = null;
    }
    compiled.set(schema, node);
  }
  if (node === null) return undefined;
  const w = new Walker();
  w.visit(node, value);
  return w.issues;
}
