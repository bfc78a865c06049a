import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { exportToFolder } from './index';
import { buildSampleStore, sampleFiles } from './sample-store.test-support';

/**
 * Athena cannot run here: the table DDL of docs/analytics.md is checked against the Parquet files `export`
 * writes from every GPU-Z sample instead (Athena maps Parquet columns by name, and refuses a type mismatch).
 */
const ATHENA_TO_PARQUET: Record<string, (e: ParquetElement) => boolean> = {
  timestamp: (e) =>
    e.type === 'INT64' &&
    e.logical_type?.type === 'TIMESTAMP' &&
    e.logical_type.unit === 'MILLIS' &&
    e.logical_type.isAdjustedToUTC === true,
  int: (e) => e.type === 'INT32' && e.converted_type === undefined,
  string: (e) => e.type === 'BYTE_ARRAY' && e.converted_type === 'UTF8',
  double: (e) => e.type === 'DOUBLE',
};

interface ParquetElement {
  name: string;
  type?: string;
  converted_type?: string;
  logical_type?: { type: string; unit?: string; isAdjustedToUTC?: boolean };
}

function athenaDdl(): { columns: [string, string][]; partitions: [string, string][]; template: string } {
  const doc = readFileSync(new URL('../../../../docs/analytics.md', import.meta.url), 'utf8');
  const ddl = /```sql\n-- recipe: athena-ddl\n([\s\S]*?)```/.exec(doc)![1]!;
  const pairs = (text: string) =>
    [...text.matchAll(/`([^`]+)`\s+(\w+)/g)].map((m) => [m[1]!, m[2]!] as [string, string]);
  return {
    columns: pairs(/CREATE EXTERNAL TABLE \w+ \(([\s\S]*?)\)\nPARTITIONED/.exec(ddl)![1]!),
    partitions: pairs(/PARTITIONED BY \(([^)]*)\)/.exec(ddl)![1]!),
    template: /'storage.location.template' = '([^']+)'/.exec(ddl)![1]!,
  };
}

describe('the Athena DDL in docs/analytics.md', () => {
  let schemas: ParquetElement[][] = [];
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gpuz-athena-'));
    const files = sampleFiles()
      .filter((f) => f.startsWith('gpuz/'))
      .map((file) => ({ file }));
    const { store } = await buildSampleStore(join(root, 'store'), { timeZone: 'UTC', files });
    const outDir = join(root, 'out');
    await exportToFolder({ source: store, sourceId: 'samples', outDir, format: 'parquet' });
    const parquet = readdirSync(outDir, { recursive: true, withFileTypes: true })
      .filter((e) => e.name.endsWith('.parquet'))
      .map((e) => join(e.parentPath, e.name));
    schemas = await Promise.all(
      parquet.map(async (path) =>
        (await parquetMetadataAsync(await asyncBufferFromFile(path))).schema.slice(1),
      ),
    );
  }, 60_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('declares only columns the files have, each with the Parquet type Athena reads it as', () => {
    const { columns } = athenaDdl();
    for (const [name, type] of columns) {
      const found = schemas.flat().filter((e) => e.name === name);
      expect(found.length, `${name} is in no exported file`).toBeGreaterThan(0);
      for (const element of found) expect(ATHENA_TO_PARQUET[type]!(element), `${name} as ${type}`).toBe(true);
    }
  });

  it('partitions by host and date, which the files leave to the path, as export lays them out', () => {
    const { partitions, template } = athenaDdl();
    expect(partitions).toEqual([
      ['host', 'string'],
      ['date', 'string'],
    ]);
    for (const schema of schemas) expect(schema.map((e) => e.name)).not.toContain('host');
    for (const schema of schemas) expect(schema.map((e) => e.name)).not.toContain('date');
    expect(template).toMatch(/\/analytics\/host=\$\{host\}\/date=\$\{date\}\/$/);
  });

  it('uses only names Athena accepts, back-quoted', () => {
    for (const [name] of athenaDdl().columns) expect(name).toMatch(/^[a-z0-9_]+$/);
  });
});
