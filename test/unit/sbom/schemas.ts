// JSON-schema validators for what gosh emits, over the schemas shipped in test/fixtures/schemas
// (SPDX 2.3 from spdx/spdx-spec, CycloneDX 1.6 from @cyclonedx/cyclonedx-library's res/schema;
// see test/fixtures/README.md). Compiled once per test file.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject, type Options } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
// @ts-expect-error -- ajv-formats-draft2019 ships no types
import addFormats2019 from 'ajv-formats-draft2019';
import { repoRoot } from '../../helpers/shared-fixture.js';

const schemasDir = resolve(repoRoot, 'test/fixtures/schemas');
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(resolve(schemasDir, name), 'utf8'));

// the library's own JsonValidator options: no defaults, no remote schemas
const options: Options = { useDefaults: false, strict: false, strictSchema: false, addUsedSchema: false, allErrors: true };

type Validate = (data: unknown) => readonly ErrorObject[];

function compile(main: string, refs: Record<string, string> = {}): Validate {
  const schemas = Object.fromEntries(Object.entries(refs).map(([uri, file]) => [uri, load(file)]));
  const ajv = new Ajv({ ...options, schemas });
  const addFormats = ((addFormatsPlugin as unknown as { default?: unknown }).default ?? addFormatsPlugin) as (a: Ajv) => void;
  addFormats(ajv);
  (addFormats2019 as (a: Ajv, o: { formats: string[] }) => void)(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  const validate = ajv.compile(load(main));
  return (data) => (validate(data) ? [] : (validate.errors ?? []));
}

let spdx: Validate | undefined;
let cyclonedx: Validate | undefined;

/** Schema errors of an SPDX 2.3 JSON document; [] when valid. */
export function spdxSchemaErrors(data: unknown): readonly ErrorObject[] {
  spdx ??= compile('spdx-2.3.schema.json');
  return spdx(data);
}

/** Schema errors of a CycloneDX 1.6 JSON BOM; [] when valid. */
export function cycloneDxSchemaErrors(data: unknown): readonly ErrorObject[] {
  cyclonedx ??= compile('bom-1.6.SNAPSHOT.schema.json', {
    'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': 'spdx.SNAPSHOT.schema.json',
    'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
  });
  return cyclonedx(data);
}
