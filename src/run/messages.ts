// Plain-words messages for test failures and module-load problems.
import type { ResultMsg } from './pool';

/** Import names whose PyPI distribution is called something else. */
const PYPI_NAMES: Record<string, string> = {
  dateutil: 'python-dateutil',
  yaml: 'PyYAML',
  jwt: 'PyJWT',
  Crypto: 'pycryptodome',
  Cryptodome: 'pycryptodomex',
  OpenSSL: 'pyOpenSSL',
  bs4: 'beautifulsoup4',
  sklearn: 'scikit-learn',
  PIL: 'Pillow',
  cv2: 'opencv-python',
  dns: 'dnspython',
  attr: 'attrs',
  dotenv: 'python-dotenv',
  magic: 'python-magic',
  ldap: 'python-ldap',
  jose: 'python-jose',
  nacl: 'PyNaCl',
  Levenshtein: 'python-Levenshtein',
  google: 'google-api-python-client',
  googleapiclient: 'google-api-python-client',
  git: 'GitPython',
  github: 'PyGithub',
  slack_sdk: 'slack-sdk',
  panther_core: 'panther-core',
  panther_detection_helpers: 'panther-detection-helpers',
  panther_analysis_tool: 'panther-analysis-tool',
  whois: 'python-whois',
  geoip2: 'geoip2',
  maxminddb: 'maxminddb',
  zmq: 'pyzmq',
  serial: 'pyserial',
  usb: 'pyusb',
  docx: 'python-docx',
  pptx: 'python-pptx',
  ipwhois: 'ipwhois',
  netaddr: 'netaddr',
  tldextract: 'tldextract',
  pkg_resources: 'setuptools',
  typing_extensions: 'typing-extensions',
};

export function pipName(module: string): string {
  const root = module.split('.')[0];
  return PYPI_NAMES[root] ?? root.replace(/_/g, '-');
}

export function describeFailure(
  msg: ResultMsg,
  expected: unknown,
  rel: (abs: string) => string,
): string {
  const parts: string[] = [];
  for (const f of msg.fl ?? []) {
    if (f.f === 'harness') parts.push(f.e ?? 'the test could not run');
    else if (f.e !== undefined) {
      // The chain of user frames, rule → helper → …: where it was called and where it raised.
      const chain = Array.isArray(f.tb) && f.tb.length ? f.tb.map(([file, line]) => `${rel(file)} line ${line}`).join(' → ') : undefined;
      const where = chain ? ` (${chain})` : Array.isArray(f.loc) && typeof f.loc[0] === 'string' ? ` (${rel(f.loc[0])} line ${f.loc[1]})` : '';
      parts.push(f.e.startsWith('InlineFilters error') ? f.e : `${f.f}() raised ${f.e}${where}`);
    } else if (f.f === 'rule' && msg.fx)
      parts.push(`InlineFilters rejected the event, so rule() was not called and the result is False, but ExpectedResult is ${show(expected)}`);
    else parts.push(`${f.f}() returned ${show(f.v)}, but ExpectedResult is ${show(expected)}`);
  }
  if (!parts.length) parts.push(msg.err ?? 'the test failed');
  return parts.join('; ');
}

function show(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}
