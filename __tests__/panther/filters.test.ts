// pat's --filter semantics (spec §8.2).
import { applyFilters, FILTER_KEYS, parseFilter } from '../../src/formats/panther/filters';
import { FatalError } from '../../src/core/errors';
import type { Item } from '../../src/core/types';
import { makeItem } from './helpers';

describe('parseFilter', () => {
  test('KEY=V1,V2 and KEY!=V', () => {
    expect(parseFilter('Severity=High,Critical')).toEqual({ key: 'Severity', values: ['High', 'Critical'], negate: false });
    expect(parseFilter('Tags!=deprecated')).toEqual({ key: 'Tags', values: ['deprecated'], negate: true });
  });
  test('Enabled takes one boolean, in any of strtobool\'s spellings', () => {
    expect(parseFilter('Enabled=yes')).toEqual({ key: 'Enabled', values: ['true'], negate: false });
    expect(parseFilter('Enabled!=0')).toEqual({ key: 'Enabled', values: ['false'], negate: true });
    expect(() => parseFilter('Enabled=maybe')).toThrow(FatalError);
    expect(() => parseFilter('Enabled=true,false')).toThrow(/single true or false/);
  });
  test.each(['Severity', 'Severity=', '=High', 'A=B=C', 'Severity==High', '!=x'])('malformed: %s', (text) => {
    expect(() => parseFilter(text)).toThrow(FatalError);
  });
  test('unknown keys are rejected with a suggestion', () => {
    expect(() => parseFilter('severity=High')).toThrow(/Did you mean "Severity"\?/);
    expect(() => parseFilter('QueryName=x')).toThrow(FatalError);
  });
  test('allowed keys: top-level keys of rules, policies and globals, AnalysisType included', () => {
    for (const k of ['AnalysisType', 'RuleID', 'PolicyID', 'GlobalID', 'LogTypes', 'ResourceTypes', 'Tags', 'Status', 'Severity', 'Enabled', 'Filename', 'Detection', 'ScheduledQueries'])
      expect(FILTER_KEYS).toContain(k);
    expect(FILTER_KEYS).not.toContain('BaseDetection');
  });
});

describe('applyFilters', () => {
  const rule = (id: string, extra: string, file = `rules/${id}.yml`): Item =>
    makeItem(`AnalysisType: rule\nRuleID: ${id}\nFilename: x.py\nLogTypes: [AWS.CloudTrail, Okta.SystemLog]\n${extra}`, file);
  const items = [
    rule('a', 'Severity: High\nEnabled: true\nTags: [AWS, Identity]\n'),
    rule('b', 'Severity: low\nEnabled: false\n'),
    rule('c', 'Severity: Critical\nEnabled: true\nThreshold: 5\n'),
    makeItem('AnalysisType: global\nGlobalID: h\nFilename: h.py\n', 'global_helpers/h.yml'),
    makeItem('AnalysisType: datamodel\nDataModelID: d\nEnabled: false\nLogTypes: [A]\nMappings: []\n', 'data_models/aws/d.yml'),
    makeItem('AnalysisType: global\nGlobalID: g\nFilename: g.py\n', 'helpers/g.yml'),
  ];
  const ids = (filters: string[]) => applyFilters(items, filters.map(parseFilter)).map((i) => i.id);

  test('no filters: everything', () => {
    expect(applyFilters(items, [])).toBe(items);
  });
  test('case-insensitive string comparison; any value of one filter', () => {
    expect(ids(['Severity=high,LOW'])).toEqual(['a', 'b', 'h', 'd']);
  });
  test('list values match if any element matches', () => {
    expect(ids(['Tags=identity'])).toEqual(['a', 'h', 'd']);
    expect(ids(['LogTypes=okta.systemlog'])).toEqual(['a', 'b', 'c', 'h', 'd']);
  });
  test('negated filters exclude matches; a missing key counts as ""', () => {
    expect(ids(['Tags!=aws'])).toEqual(['b', 'c', 'h', 'd', 'g']);
  });
  test('Enabled is compared as a boolean', () => {
    expect(ids(['Enabled=true'])).toEqual(['a', 'c', 'h', 'd']);
    expect(ids(['Enabled!=yes'])).toEqual(['b', 'h', 'd', 'g']);
  });
  test('numbers never match', () => {
    expect(ids(['Threshold=5'])).toEqual(['h', 'd']);
  });
  test('all filters must hold', () => {
    expect(ids(['Enabled=true', 'Severity!=critical'])).toEqual(['a', 'h', 'd']);
  });
  test('a later filter on the same key replaces the earlier one (pat keeps one per key)', () => {
    expect(ids(['Severity=High', 'Severity=Critical'])).toEqual(['c', 'h', 'd']);
  });
  test('AnalysisType filters keep global helpers and data models by location only', () => {
    expect(ids(['AnalysisType=rule'])).toEqual(['a', 'b', 'c', 'h', 'd']);
  });
});
