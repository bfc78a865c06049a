import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';

/**
 * Test-only: the published JSON Schemas (docs/schema/*.json) compiled with ajv, so tests check the real
 * documents against the same files a consumer reads.
 *
 *   expectValid(validateProcessed, document)  // throws with ajv's messages when the document does not match
 */
const schemaDir = new URL('../../../../docs/schema/', import.meta.url);

function compile(file: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)) && /T/.test(value));
  return ajv.compile(JSON.parse(readFileSync(new URL(file, schemaDir), 'utf8')));
}

export const validateProcessed = compile('processed-v1.schema.json');
export const validateQuarantine = compile('quarantine-v1.schema.json');

export function schemaErrors(validate: typeof validateProcessed, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
