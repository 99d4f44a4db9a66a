// The compiled form of a correlation rule (spec ../shared/spec/correlation-rules.md) and of one
// test's RuleOutputs. Times are integer milliseconds, so whole seconds are never lost (§9.5).
import type { PathStep } from '../../../core/types';

export const MINUTE_MS = 60_000;

export interface Step {
  /** Effective ID: the entry's ID, or its RuleID when ID is missing (§5.1, W1). */
  id: string;
  ruleId: string;
  absent: boolean;
  min: number;
  max?: number;
  /** Position in the Sequence/Group list as written. */
  index: number;
  /** Where the entry is in the file (for findings). */
  path: PathStep[];
  /** ID was missing and defaulted to RuleID (interpretation A13). */
  defaultedId: boolean;
}

export interface Transition {
  /** Step indexes in time order: `early` comes before `late` whatever From/To say (§7.2). */
  early: number;
  late: number;
  /** Time limit in ms; undefined = the lookback window (§7.3). */
  withinMs?: number;
}

export interface CompiledRule {
  form: 'Group' | 'Sequence';
  /** Steps in list order. */
  steps: Step[];
  /** Step indexes in time order (list order; reversed for ReverseChronological, §4.3). */
  timeOrder: number[];
  reverse: boolean;
  lookbackMs: number;
  /** Join paths per step (§8.4): the Match paths of MatchCriteria or of the transitions touching it. */
  joinPaths: string[][];
  /** Group-level MinMatchCount (§6.2). */
  groupMin?: number;
  transitions: Transition[];
  createAlert: boolean;
}

/** One recorded match of one step at one instant (§2, §8.4). */
export interface Signal {
  step: number;
  t: number; // ms
  fields: Map<string, string>;
}

export type ProblemCode =
  | 'correlation/invalid-step'
  | 'correlation/unknown-step'
  | 'correlation/count'
  | 'correlation/absence'
  | 'correlation/impossible-window'
  | 'correlation/transition'
  | 'correlation/match-criteria'
  | 'correlation/doubtful'
  | 'correlation/bad-rule-outputs'
  | 'correlation/unsupported';

/** A problem found while compiling; `path` locates it, `key` says whether the key or the value is meant. */
export interface Problem {
  code: ProblemCode;
  /** The spec's code (E2, W3, T1…), for the conformance suite and the message. */
  spec: string;
  path: PathStep[];
  at?: 'key' | 'value';
  message: string;
  hint?: string;
  /** true: the schema stage already reports this shape error, so no second finding is made. */
  covered?: boolean;
}

export const isWarning = (p: Problem): boolean => p.spec.startsWith('W');
