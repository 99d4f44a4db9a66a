// ATT&CK stage entry point: the shipped Enterprise catalogs and the mapping checks.
// MITRE ATT&CK® data © The MITRE Corporation, used under MITRE's licence: see LICENSE-ATTACK.md.
export {
  loadAttackCatalog,
  availableAttackVersions,
  defaultAttackVersion,
  type AttackCatalog,
  type AttackTactic,
  type AttackTechnique,
} from './catalog';
export { checkAttackMappings, checkAttackEntry, MITRE_KEY, type EntryProblem } from './check';
export { compareComment, type CommentVerdict } from './comment';
export { parseMapping, explainMalformed, type Mapping } from './mapping';
