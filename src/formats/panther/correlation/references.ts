// correlation/unknown-rule: a Sequence/Group entry whose RuleID no detection of the repository has.
// A warning by default, because a correlation rule may consume rules that live outside the
// repository (Panther-managed ones); `severity: {correlation/unknown-rule: error}` enforces it, `off` silences it.
import type { Item, RawFinding } from '../../../core/types';
import { isMapping, quote } from '../schema/values';

export function unknownRuleFindings(items: Item[], detectionIds: ReadonlySet<string>, suggest: (id: string) => string | undefined): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of items) {
    if (item.kind !== 'correlation_rule' || !Array.isArray(item.spec.Detection)) continue;
    item.spec.Detection.forEach((d, di) => {
      if (!isMapping(d)) return;
      for (const form of ['Sequence', 'Group']) {
        const list = d[form];
        if (!Array.isArray(list)) continue;
        list.forEach((e, i) => {
          if (!isMapping(e) || typeof e.RuleID !== 'string' || e.RuleID === '' || detectionIds.has(e.RuleID)) return;
          const path = ['Detection', di, form, i, 'RuleID'];
          const pos = item.positions.valueAt(path);
          const guess = suggest(e.RuleID);
          const f: RawFinding = {
            code: 'correlation/unknown-rule',
            file: item.file,
            line: pos.line,
            column: pos.column,
            message: `RuleID ${quote(e.RuleID)} is not a detection of this repository.${guess ? ` Did you mean ${quote(guess)}?` : ''} The entry gets signals only if a rule with that ID runs in Panther; offline tests do not need it`,
            hint: 'fix the RuleID; if the rule lives outside the repository, set correlation/unknown-rule to off in .rulegate.yml (or to error to enforce local rules)',
          };
          if (item.id !== undefined) f.itemId = item.id;
          out.push(f);
        });
      }
    });
  }
  return out;
}
