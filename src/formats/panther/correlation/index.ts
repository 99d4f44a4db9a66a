// Offline evaluation and validation of Panther correlation rules (spec ../shared/spec/correlation-rules.md).
export { compileCorrelation, DEFAULT_LOOKBACK_MINUTES, type Compiled } from './compile';
export { evaluate, DEFAULT_SEMANTICS, type Semantics } from './evaluate';
export { assembleSignals, parseTimestamp } from './outputs';
export { interpretationNote } from './interpretations';
export { runCorrelationTests, validateCorrelation, validateCorrelationTests, problemFinding, type CorrelationRun } from './tests';
export type { CompiledRule, Problem, Signal, Step } from './model';
export { unknownRuleFindings } from './references';
