// Validates and compiles match expressions (§4, §6–§11) in one pass: each expression becomes a
// closure once, and each problem becomes one finding at the line of the offending node.
import { YamlFloat } from '../../../load/yaml';
import { closest } from '../../../core/suggest';
import { CONDITIONS, CONDITION_NAMES, NOT_CONDITIONS, namesWhere, type ConditionDef } from './conditions';
import { all, combine, comprehension, COMBINATORS, TRUE, FALSE, type Combinator, type Comprehension, type Pred } from './combinators';
import type { Diagnostics, Path } from './diagnostics';
import { cidrProblem, parseNetwork, type Net } from './ip';
import { compileEnrichment, compileKeySpecifier, compileSpecifier, SPECIFIER_KEYS, type CompiledSpecifier, type SpecifierKey } from './specifier';
import { isObject, own, show, typeName } from './values';

export interface CompileContext {
  diag: Diagnostics;
  /** InlineFilters grammar (§11) instead of the Detection grammar. */
  filter: boolean;
  /** A1: case-insensitive key fallback (never used for filters). */
  ci: boolean;
  /** A3: a filter leaf whose field is missing passes. */
  filterMissingPasses: boolean;
  /** §6.10: accept Has / DoesNotHave with a warning. */
  allowHas: boolean;
  /** Paths of the expressions that read enrichment data (for test/enrichment-absent notes). */
  enrichment: Path[];
}

const LEAF_KEYS = ['Key', 'DeepKey', 'KeyPath', 'Enrichment', 'Condition', 'Value', 'Values', 'Expressions'];
const ALL_KEYS = [...LEAF_KEYS, ...COMBINATORS];

const FILTER_DOC = namesWhere((d) => d.filter === 'doc');
const FILTER_ENGINE = namesWhere((d) => d.filter === 'engine');
const VALUE_NAMES = namesWhere((d) => d.kind === 'value' || d.kind === 'cidr');
const NONE_NAMES = namesWhere((d) => d.kind === 'none');
const MK_NAMES = namesWhere((d) => d.mk);
const COMPREHENSION_NAMES = namesWhere((d) => d.kind === 'comprehension');
const STRING_ONLY = new Set(['StartsWith', 'DoesNotStartWith', 'IStartsWith', 'IDoesNotStartWith', 'EndsWith', 'DoesNotEndWith', 'IEndsWith', 'IDoesNotEndWith']);

const list = (names: readonly string[]) => names.join(', ');

/** Compiles a list of match expressions (implicit All). Returns null if any of them is invalid. */
export function compileExpressionList(node: unknown, path: Path, cx: CompileContext, what: string): Pred | null {
  if (!Array.isArray(node)) {
    // a top-level key of the wrong type (Detection: x) is reported once, by the schema stage (schema/type)
    if (path.length > 1)
      cx.diag.error(path, `${what} must be a list of match expressions, not ${typeName(node)}`, {
        hint: isObject(node) ? 'put a "- " before the expression to make it a list item' : undefined,
      });
    return null;
  }
  const preds: Pred[] = [];
  let ok = true;
  node.forEach((e, i) => {
    const p = compileExpression(e, [...path, i], cx);
    if (p) preds.push(p);
    else ok = false;
  });
  return ok ? all(preds) : null;
}

/** Compiles one match expression. Returns null after reporting its (first) problem. */
export function compileExpression(e: unknown, path: Path, cx: CompileContext): Pred | null {
  const { diag } = cx;
  if (!isObject(e)) {
    diag.error(path, `a match expression must be a mapping (Key/KeyPath/DeepKey + Condition …, or All/Any/OnlyOne/None), not ${typeName(e)}`);
    return null;
  }
  const keys = Object.keys(e);
  const combinators = keys.filter((k) => (COMBINATORS as readonly string[]).includes(k)) as Combinator[];
  if (combinators.length > 0) return compileCombinator(e, keys, combinators, path, cx);

  for (const k of keys) {
    if (!LEAF_KEYS.includes(k)) {
      const near = closest(k, ALL_KEYS);
      diag.error([...path, k], `unknown key ${JSON.stringify(k)} in a match expression${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
        key: true,
        hint: `a match expression may hold: ${list(cx.filter ? ['KeyPath', 'Enrichment', 'Condition', 'Value', 'Values', 'All', 'Any'] : ALL_KEYS)}`,
      });
      return null;
    }
  }

  // Condition
  if (!own(e, 'Condition')) {
    diag.error(path, `the match expression has no Condition${keys.length ? ` (it has ${keys.join(', ')})` : ''}`, {
      hint: 'add e.g. Condition: Equals with a Value, or use All/Any/OnlyOne/None to combine expressions',
    });
    return null;
  }
  const condName = e.Condition;
  if (typeof condName !== 'string') {
    diag.error([...path, 'Condition'], `Condition must be a condition name such as Equals, not ${typeName(condName)}`);
    return null;
  }
  let def: ConditionDef | undefined = CONDITIONS.get(condName);
  if (!def) {
    const replacement = NOT_CONDITIONS[condName];
    if (replacement && cx.allowHas && (condName === 'Has' || condName === 'DoesNotHave')) {
      diag.warn([...path, 'Condition'], `${condName} is an early prototype name; it is read as ${replacement}`, { hint: `write Condition: ${replacement}` });
      def = CONDITIONS.get(replacement) as ConditionDef;
    } else {
      const near = replacement ?? closest(condName, CONDITION_NAMES);
      diag.error([...path, 'Condition'], `unknown Condition ${JSON.stringify(condName)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
        hint: `valid conditions ${validChoices(e)}`,
      });
      return null;
    }
  }

  const specKeys = keys.filter((k) => (SPECIFIER_KEYS as readonly string[]).includes(k) || k === 'Enrichment');
  if (specKeys.length > 1) {
    diag.error(path, `the match expression has ${specKeys.join(' and ')}; use exactly one key specifier`, { hint: 'Key, DeepKey, KeyPath and Enrichment exclude each other' });
    return null;
  }
  const specKey = specKeys[0] as SpecifierKey | 'Enrichment' | undefined;
  const name = def.name;

  if (def.kind === 'absolute') {
    if (cx.filter) return filterReject(name, path, cx);
    const extra = keys.filter((k) => k !== 'Condition');
    if (extra.length) {
      diag.error([...path, extra[0]], `${name} stands alone: it takes no ${extra.join(', ')}`, { key: true, hint: `write just {Condition: ${name}}` });
      return null;
    }
    return def.constant ? TRUE : FALSE;
  }

  if (def.kind === 'comprehension') return compileComprehension(e, def.name as Comprehension, specKey, path, cx);
  if (own(e, 'Expressions')) {
    diag.error([...path, 'Expressions'], `Expressions belongs to the list-comprehension conditions (${list(COMPREHENSION_NAMES)}), not to ${name}`, { key: true });
    return null;
  }

  if (specKey === undefined) {
    const vs = e.Values;
    if (Array.isArray(vs) && vs.some(isObject)) return compileMultiKey(e, def, path, cx);
    if (def.mk && Array.isArray(vs) && vs.length === 0)
      diag.error([...path, 'Values'], `${name} has no key specifier and an empty Values list; a multi-key comparison needs exactly two key specifiers in Values`, {
        hint: 'add Key/DeepKey/KeyPath to compare a field, or Values: [{Key: a}, {Key: b}] to compare two fields',
      });
    else
      diag.error(path, `Condition ${name} needs a key specifier (${cx.filter ? 'KeyPath or Enrichment' : 'Key, DeepKey or KeyPath'})`, {
        hint: `e.g. {${cx.filter ? 'KeyPath' : 'Key'}: fieldName, Condition: ${name}${def.kind === 'none' ? '' : def.kind === 'values' ? ', Values: [...]' : ', Value: ...'}}; only AlwaysTrue and AlwaysFalse stand alone`,
      });
    return null;
  }

  if (cx.filter && (specKey === 'Key' || specKey === 'DeepKey')) {
    diag.error([...path, specKey], `InlineFilters accept only KeyPath (or Enrichment) to name a field, not ${specKey}`, {
      key: true,
      hint: `write KeyPath: ${specKey === 'Key' && typeof e.Key === 'string' ? e.Key : 'a.b.c'}`,
    });
    return null;
  }

  // the condition must fit the filter grammar
  if (cx.filter) {
    if (def.filter === 'no') return filterReject(name, path, cx);
    if (def.filter === 'engine')
      cx.diag.warn([...path, 'Condition'], `${name} is not among the conditions documented for InlineFilters (Panther's filter engine implements it)`, {
        hint: `documented filter conditions: ${list(FILTER_DOC)}`,
      });
  }

  let spec: CompiledSpecifier | null;
  if (specKey === 'Enrichment') {
    if (!def.en) {
      diag.error([...path, 'Condition'], `${name} cannot be used with Enrichment; enrichment expressions need a Value or Values`, {
        hint: `conditions usable with Enrichment: ${list(namesWhere((d) => d.en))}`,
      });
      return null;
    }
    spec = compileEnrichment(e, path, diag);
  } else spec = compileSpecifier(e, specKey, path, diag, { ci: cx.ci && !cx.filter });
  if (!spec) return null;
  if (spec.enrichment) cx.enrichment.push(path);

  const test = compileOperand(e, def, path, cx, spec.wildcard);
  return test ? leaf(spec.resolve, test, cx) : null;
}

/** Checks the operand and bakes it into a one-argument test of the resolved value. */
function compileOperand(e: Record<string, unknown>, def: ConditionDef, path: Path, cx: CompileContext, wildcard: boolean): ((t: unknown) => boolean) | null {
  const { diag } = cx;
  const name = def.name;
  const hasValue = own(e, 'Value');
  const hasValues = own(e, 'Values');
  switch (def.kind) {
    case 'none': {
      if (hasValues) {
        diag.error([...path, 'Values'], `${name} takes no operand; remove Values`, { key: true });
        return null;
      }
      if (hasValue) diag.warn([...path, 'Value'], `${name} takes no operand; the Value ${show(e.Value)} is ignored`, { key: true, hint: 'remove the Value' });
      const u = def.unary as (t: unknown, w: boolean) => boolean;
      return (t) => u(t, wildcard);
    }
    case 'values': {
      if (hasValue) {
        diag.error([...path, 'Value'], `${name} takes Values (a list), not Value`, { key: true, hint: `write Values: [${show(e.Value)}]` });
        return null;
      }
      if (!hasValues) {
        diag.error(path, `${name} needs Values (a list of strings, numbers or booleans)`);
        return null;
      }
      const values = checkValues(e.Values, [...path, 'Values'], name, cx);
      if (!values) return null;
      const t = def.list as (t: unknown, v: readonly unknown[]) => boolean;
      return (x) => t(x, values);
    }
    case 'value':
    case 'cidr': {
      if (hasValues) {
        diag.error([...path, 'Values'], `${name} takes a single Value, not Values${def.kind === 'value' ? '; to match any of several values use IsIn' : ''}`, { key: true });
        return null;
      }
      if (!hasValue) {
        diag.error(path, `${name} needs a Value (${def.kind === 'cidr' ? 'a CIDR such as 10.0.0.0/8' : 'a string, number or boolean'})`);
        return null;
      }
      const v = e.Value;
      const problem = scalarProblem(v);
      if (problem) {
        diag.error([...path, 'Value'], `Value must be a string, number or boolean, not ${problem}`, {
          hint: v === null ? `to test for null use IsNull / IsNotNull, or quote "null" for the text` : Array.isArray(v) ? 'to match one of several values use IsIn with Values' : undefined,
        });
        return null;
      }
      if (def.kind === 'cidr') {
        const why = cidrProblem(v);
        if (why) {
          diag.error([...path, 'Value'], `${show(v)} is not a valid CIDR: ${why}`, { hint: 'e.g. 10.0.0.0/8, 192.168.1.7/32, 2001:db8::/32' });
          return null;
        }
        const net = parseNetwork(v) as Net;
        const c = def.cidr as (t: unknown, n: Net) => boolean;
        return (t) => c(t, net);
      }
      if (STRING_ONLY.has(name) && typeof v !== 'string')
        diag.warn([...path, 'Value'], `${name} compares text, but the Value ${show(v)} is ${typeName(v)}: it never matches${name.includes('Not') ? ' (so this is always true)' : ''}`, {
          hint: `quote it to compare text: Value: "${show(v)}"`,
        });
      const b = def.bin as (t: unknown, v: unknown) => boolean;
      return (t) => b(t, v);
    }
    default:
      return null;
  }
}

function leaf(r: (x: unknown, ev: unknown) => unknown, test: (t: unknown) => boolean, cx: CompileContext): Pred {
  if (cx.filter && cx.filterMissingPasses) {
    return (x, ev) => {
      const t = r(x, ev);
      return t === undefined ? true : test(t);
    };
  }
  return (x, ev) => test(r(x, ev));
}

function scalarProblem(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint' || v instanceof YamlFloat) return undefined;
  return typeName(v);
}

function scalarClass(v: unknown): 'string' | 'number' | 'boolean' | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint' || v instanceof YamlFloat) return 'number';
  return undefined;
}

function checkValues(vs: unknown, at: Path, name: string, cx: CompileContext): unknown[] | null {
  if (!Array.isArray(vs)) {
    cx.diag.error(at, `Values must be a list of strings, numbers or booleans, not ${typeName(vs)}`, { hint: `write Values: [${show(vs)}]` });
    return null;
  }
  let cls: string | undefined;
  for (let i = 0; i < vs.length; i++) {
    const c = scalarClass(vs[i]);
    if (!c) {
      cx.diag.error([...at, i], `Values items must be strings, numbers or booleans, not ${typeName(vs[i])}`, {
        hint: vs[i] === null ? `${name} never matches null; use IsNull / IsNotNull for that` : undefined,
      });
      return null;
    }
    if (cls && c !== cls) {
      cx.diag.error(at, `Values mixes ${cls}s and ${c}s; all items must be strings, all numbers, or all booleans`, {
        hint: `quote the numbers to match text ("443"), or split into two expressions under Any`,
      });
      return null;
    }
    cls = c;
  }
  return vs.slice();
}

function filterReject(name: string, path: Path, cx: CompileContext): null {
  cx.diag.error([...path, 'Condition'], `${name} is not available in InlineFilters`, {
    hint: `filter conditions: ${list(FILTER_DOC)} (also, with a warning: ${list(FILTER_ENGINE)})`,
  });
  return null;
}

function validChoices(e: Record<string, unknown>): string {
  if (own(e, 'Expressions')) return `with Expressions: ${list(COMPREHENSION_NAMES)}`;
  if (own(e, 'Values')) {
    const vs = e.Values;
    if (Array.isArray(vs) && vs.some(isObject)) return `for comparing two keys: ${list(MK_NAMES)}`;
    return 'with Values: IsIn, IsNotIn';
  }
  if (own(e, 'Value')) return `with a Value: ${list(VALUE_NAMES)}`;
  return `without an operand: ${list(NONE_NAMES)}; standing alone: AlwaysTrue, AlwaysFalse`;
}

function compileCombinator(e: Record<string, unknown>, keys: string[], combinators: Combinator[], path: Path, cx: CompileContext): Pred | null {
  const { diag } = cx;
  if (combinators.length > 1) {
    diag.error(path, `a match expression holds one combinator, but this one has ${combinators.join(' and ')}`, {
      hint: 'make them separate list items, or nest one inside the other',
    });
    return null;
  }
  const kind = combinators[0];
  const others = keys.filter((k) => k !== kind);
  if (others.length) {
    const near = others.map((k) => closest(k, ALL_KEYS)).find((n) => n !== undefined && !LEAF_KEYS.includes(n));
    diag.error([...path, others[0]], `${kind} cannot be combined with ${others.join(', ')} in one match expression${near ? `; did you mean ${JSON.stringify(near)}?` : ''}`, {
      key: true,
      hint: `move the other keys into an expression inside the ${kind} list`,
    });
    return null;
  }
  if (cx.filter && (kind === 'OnlyOne' || kind === 'None')) {
    diag.error([...path, kind], `InlineFilters allow only the All and Any combinators, not ${kind}`, { key: true });
    return null;
  }
  const items = e[kind];
  if (!Array.isArray(items)) {
    diag.error([...path, kind], `${kind} must be a list of match expressions, not ${typeName(items)}`, {
      hint: isObject(items) ? `put a "- " before the expression under ${kind}` : undefined,
    });
    return null;
  }
  const preds: Pred[] = [];
  let ok = true;
  items.forEach((sub, i) => {
    const p = compileExpression(sub, [...path, kind, i], cx);
    if (p) preds.push(p);
    else ok = false;
  });
  return ok ? combine(kind, preds, cx.filter) : null;
}

function compileComprehension(e: Record<string, unknown>, kind: Comprehension, specKey: SpecifierKey | 'Enrichment' | undefined, path: Path, cx: CompileContext): Pred | null {
  const { diag } = cx;
  if (cx.filter) return filterReject(kind, path, cx);
  for (const k of ['Value', 'Values']) {
    if (own(e, k)) {
      diag.error([...path, k], `${kind} takes Expressions (a list of match expressions tested on each element), not ${k}`, { key: true });
      return null;
    }
  }
  if (specKey === undefined || specKey === 'Enrichment') {
    diag.error(path, `${kind} needs a key specifier naming the list (Key, DeepKey or KeyPath)${specKey === 'Enrichment' ? ', not Enrichment' : ''}`);
    return null;
  }
  if (!own(e, 'Expressions')) {
    diag.error(path, `${kind} needs Expressions: the match expressions each element is tested against`);
    return null;
  }
  const spec = compileSpecifier(e, specKey, path, diag, { ci: cx.ci, stringsOnly: true });
  if (!spec) return null;
  if (spec.enrichment) cx.enrichment.push(path);
  const each = compileExpressionList(e.Expressions, [...path, 'Expressions'], cx, 'Expressions');
  if (!each) return null;
  return comprehension(kind, spec.resolve, each);
}

function compileMultiKey(e: Record<string, unknown>, def: ConditionDef, path: Path, cx: CompileContext): Pred | null {
  const { diag } = cx;
  const vs = e.Values as unknown[];
  if (cx.filter) {
    diag.error([...path, 'Values'], 'InlineFilters cannot compare two keys (multi-key); use a Detection expression', { key: true });
    return null;
  }
  if (!def.mk) {
    diag.error([...path, 'Condition'], `${def.name} cannot compare two keys; multi-key expressions take ${list(MK_NAMES)}`);
    return null;
  }
  if (own(e, 'Value')) {
    diag.error([...path, 'Value'], 'a multi-key expression compares the two keys in Values; remove Value', { key: true });
    return null;
  }
  if (vs.length !== 2) {
    diag.error([...path, 'Values'], `a multi-key expression needs exactly two key specifiers in Values, not ${vs.length}`, {
      hint: `{Condition: ${def.name}, Values: [{Key: first}, {Key: second}]} compares the first key's value with the second's`,
    });
    return null;
  }
  const opts = { ci: cx.ci };
  const a = compileKeySpecifier(vs[0], [...path, 'Values', 0], diag, opts, 'a multi-key operand');
  if (!a) return null;
  const b = compileKeySpecifier(vs[1], [...path, 'Values', 1], diag, opts, 'a multi-key operand');
  if (!b) return null;
  if (a.enrichment || b.enrichment) cx.enrichment.push(path);
  const ra = a.resolve;
  const rb = b.resolve;
  const bin = def.bin as (t: unknown, v: unknown) => boolean;
  return (x, ev) => bin(ra(x, ev), rb(x, ev));
}
