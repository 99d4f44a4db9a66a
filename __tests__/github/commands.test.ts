// Our workflow-command writer must produce exactly the bytes @actions/core's command.ts produces.
import * as core from '@actions/core';
import * as os from 'os';
import { escapeData, escapeProperty, formatCommand, safeLogLine } from '../../src/github/commands';
import { formatAnnotation } from '../../src/github/annotations';
import { finding } from '../render/fixtures/report';

function captureStdout(fn: () => void): string {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

const NASTY = ['plain', 'percent % and %25', 'colon: comma, both:,', 'line\nbreak\r\nCRLF', '::error::inject', 'ü ✓ 😀', ''];

describe('escaping matches @actions/core', () => {
  test.each(NASTY)('message %j', (msg) => {
    const fromCore = captureStdout(() => core.error(msg));
    expect(formatCommand('error', {}, msg) + os.EOL).toBe(fromCore);
  });

  test.each(NASTY.filter(Boolean))('properties %j', (value) => {
    const fromCore = captureStdout(() => core.warning('m', { title: value, file: value, startLine: 3, endLine: 5, startColumn: 2 }));
    // core's property order is title, file, line, endLine, col; ours is given explicitly.
    expect(formatCommand('warning', { title: value, file: value, line: 3, endLine: 5, col: 2 }, 'm') + os.EOL).toBe(fromCore);
  });

  test('escape functions', () => {
    expect(escapeData('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac:d,e');
    expect(escapeProperty('a%b\r\nc:d,e')).toBe('a%25b%0D%0Ac%3Ad%2Ce');
  });
});

describe('formatAnnotation', () => {
  test('file, line, col, title, message with hint', () => {
    expect(formatAnnotation(finding({ hint: 'Use T1078.' }))).toBe(
      '::error file=rules/aws/root_login.yml,line=14,col=7,title=mitre/unknown-technique (AWS.Root.Login)::T9999 is not a technique of ATT&CK Enterprise 19.2.%0AHint: Use T1078.',
    );
  });
  test('multi-line findings get endLine and no column; notes are notices; no item id, no parentheses', () => {
    expect(formatAnnotation(finding({ severity: 'note', endLine: 20, itemId: undefined, code: 'test/not-run', message: 'm' }))).toBe(
      '::notice file=rules/aws/root_login.yml,line=14,endLine=20,title=test/not-run::m',
    );
  });
  test('file names with commas and colons are escaped', () => {
    expect(formatAnnotation(finding({ file: 'rules/a,b:c.yml', column: undefined, severity: 'warning', message: 'x' }))).toBe(
      '::warning file=rules/a%2Cb%3Ac.yml,line=14,title=mitre/unknown-technique (AWS.Root.Login)::x',
    );
  });
});

test('safeLogLine breaks up lines that would be read as commands', () => {
  expect(safeLogLine('ok\n  ::set-output name=x::y\nfine ::not')).toBe('ok\n  :\u200b:set-output name=x::y\nfine ::not');
});

test('safeLogLine also breaks up the legacy ##[command] syntax, which the runner finds anywhere in a line, and lone CRs', () => {
  expect(safeLogLine('rule said ##[add-mask]s3cret and ##[stop-commands]tok')).toBe('rule said ##\u200b[add-mask]s3cret and ##\u200b[stop-commands]tok');
  expect(safeLogLine('a\r::error::x')).toBe('a\n:\u200b:error::x');
});
