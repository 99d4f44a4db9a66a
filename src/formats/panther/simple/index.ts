// Simple detections (YAML match expressions): validation, compilation and offline evaluation,
// per shared/spec/simple-detections.md. Pure TypeScript; compiled closures are cached per spec.
export { isSimpleDetection, validateSimpleExpressions, compileDetection, SIMPLE_KEYS } from './rule';
export type { CompiledRule, Part } from './rule';
export { runSimpleTests, enrichmentNotes, mocksIgnoredNotes } from './tests';
export type { RunSimpleOptions } from './tests';
export { evaluateInlineFilters, evaluateSimpleRule, evaluateAlertFunctions, evaluateAlert } from './evaluate';
export type { SimpleEvaluation, FunctionOutcome, AlertFunction } from './evaluate';
export { benchmarkEvaluate } from './bench';
export { setSimpleOptions, getSimpleOptions } from './options';
export type { SimpleOptions } from './options';
export { SEVERITIES, normalizeSeverity } from './alert';
export { parseKeyPath } from './keypath';
