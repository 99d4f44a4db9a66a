// The SARIF 2.1.0 schema that @microsoft/jest-sarif ships (sarif-2.1.0-rtm.5.json, the OASIS 2.1.0 schema as
// published on SchemaStore), compiled with ajv: the one real validator every SARIF test uses.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import * as fs from 'fs';
import * as path from 'path';

export function sarifValidator() {
  const file = path.join(path.dirname(require.resolve('@microsoft/jest-sarif/package.json')), 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  // The schema is written for JSON Schema draft-04; its only draft-04-specific keyword is the top-level `id`
  // (no boolean exclusiveMinimum/Maximum), so it validates identically under ajv's draft-07 mode as `$id`.
  if (schema.$schema !== 'http://json-schema.org/draft-04/schema#') throw new Error(`unexpected SARIF schema dialect ${schema.$schema}`);
  schema.$id = schema.id;
  delete schema.id;
  delete schema.$schema;
  // unicodeRegExp: false — the schema's language pattern has a stray ']' that only non-unicode RegExps accept.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}
