// A generated pack for the audit's end-to-end and browser tests (our own content): simple detections
// spread over the matrix with passing tests, one disabled, one with a failing test, one without tests,
// and a hostile one whose text tries to become markup in every report.
import * as fs from 'fs';
import * as path from 'path';

/** [RuleID suffix, mappings] of the passing detections. */
export const DEMO_DETECTIONS: Array<[string, string[]]> = [
  ['AWS.ConsoleLoginNoMFA', ['TA0001:T1078', 'TA0001:T1078.004']],
  ['AWS.RootActivity', ['TA0004:T1078.004', 'TA0003:T1078.004']],
  ['AWS.AccessKeyCreated', ['TA0003:T1098.001']],
  ['AWS.SecretsRead', ['TA0006:T1555.006']],
  ['AWS.SnapshotShared', ['TA0010:T1537']],
  ['AWS.BucketPublic', ['TA0009:T1530']],
  ['AWS.BucketDeleted', ['TA0040:T1485']],
  ['AWS.InstanceMassLaunch', ['TA0040:T1496']],
  ['AWS.RegionDiscovery', ['TA0007:T1580']],
  ['AWS.RolePassed', ['TA0004:T1098.003']],
  ['Okta.PasswordSpray', ['TA0006:T1110.003', 'TA0006:T1110']],
  ['Okta.MFAFatigue', ['TA0006:T1621']],
  ['Okta.AdminGranted', ['TA0003:T1098.003', 'TA0004:T1098.003']],
  ['Okta.SessionHijack', ['TA0006:T1539']],
  ['GitHub.RepoPublic', ['TA0010:T1567.001']],
  ['GitHub.SecretScanningOff', ['TA0112:T1685']],
  ['GitHub.ActionsTokenAbuse', ['TA0002:T1059']],
  ['GSuite.ExternalForward', ['TA0009:T1114.003']],
  ['GSuite.AppPasswordCreated', ['TA0003:T1098']],
  ['Azure.KeyVaultDump', ['TA0006:T1555']],
  ['Azure.RunCommand', ['TA0002:T1651']],
  ['Azure.NSGOpened', ['TA0112:T1685']],
  ['Slack.BulkExport', ['TA0010:T1567', 'TA0009:T1213']],
  ['Slack.AppInstalled', ['TA0003:T1671']],
  ['Zoom.RecordingDeleted', ['TA0040:T1485']],
  ['DNS.TunnelLike', ['TA0011:T1071.004']],
  ['Proxy.Beaconing', ['TA0011:T1071.001', 'TA0011:T1573']],
  ['Recon.ScannerUA', ['TA0043:T1595', 'TA0043:T1595.002']],
  ['Infra.NewDomain', ['TA0042:T1583.001']],
  ['Lateral.SSHFromBastion', ['TA0008:T1021.004']],
];

export const HOSTILE = {
  id: "Demo.Hostile.'onmouseover='alert(1)",
  testName: '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">',
  reference: '<img src=x onerror="window.__pwned=3">',
  logType: 'AWS.CloudTrail"><svg onload=window.__pwned=4>',
};

function detection(id: string, mitre: string[], over: { enabled?: boolean; tests?: string[]; reference?: string; extra?: string[] } = {}): string {
  const event = id.split('.').pop();
  return [
    'AnalysisType: rule',
    `RuleID: ${JSON.stringify(id)}`,
    `Enabled: ${over.enabled ?? true}`,
    'LogTypes: [AWS.CloudTrail]',
    'Severity: Medium',
    `Description: Detects ${event}.`,
    'Runbook: Check who did it and whether it was expected.',
    `Reference: ${JSON.stringify(over.reference ?? 'https://example.com/detections')}`,
    ...(mitre.length ? ['Reports:', '  MITRE ATT&CK:', ...mitre.map((m) => `    - ${m}`)] : []),
    'Detection:',
    '  - Key: eventName',
    '    Condition: Equals',
    `    Value: ${JSON.stringify(event)}`,
    ...(over.extra ?? []),
    ...(over.tests ?? [
      'Tests:',
      '  - Name: matches',
      '    ExpectedResult: true',
      `    Log: {eventName: ${JSON.stringify(event)}}`,
      '  - Name: other event',
      '    ExpectedResult: false',
      '    Log: {eventName: Other}',
    ]),
    '',
  ].join('\n');
}

/** Writes the demo pack into `dir` (rules/…); returns the files written, relative to dir. */
export function writeDemoPack(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [name, mitre] of DEMO_DETECTIONS) files[`rules/${name.toLowerCase().replace(/\./g, '_')}.yml`] = detection(`Demo.${name}`, mitre);
  files['rules/disabled_exfil.yml'] = detection('Demo.Disabled.Exfil', ['TA0010:T1048'], { enabled: false });
  files['rules/broken_wiper.yml'] = detection('Demo.Broken.Wiper', ['TA0040:T1561'], {
    tests: ['Tests:', '  - Name: wipe', '    ExpectedResult: false', '    Log: {eventName: Wiper}'],
  });
  files['rules/untested_cron.yml'] = detection('Demo.Untested.Cron', ['TA0003:T1053.003'], { tests: [] });
  files['rules/hostile.yml'] = detection(HOSTILE.id, ['TA0005:T1036'], {
    reference: HOSTILE.reference,
    tests: [
      'Tests:',
      `  - Name: ${JSON.stringify(HOSTILE.testName)}`,
      '    ExpectedResult: false',
      `    Log: {eventName: ${JSON.stringify(HOSTILE.id.split('.').pop())}, p_log_type: ${JSON.stringify(HOSTILE.logType)}}`,
      '  - Name: quiet',
      '    ExpectedResult: false',
      '    Log: {eventName: Other}',
    ],
  });
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return files;
}
