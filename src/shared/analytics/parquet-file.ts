import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import { ROWS_SCHEMA, type RowColumn } from './row-schema';

/**
 * The one place that knows the Parquet writer library (hyparquet-writer; why this one: docs/analytics.md).
 *
 *   const file = openParquetFile('/out/part.parquet', columns)
 *   file.writeRowGroup({ time: [1786035293000, …], session: [0, …], gpu_clock_mhz: [1746.5, null, …] })
 *   file.finish()   → footer written; the file is complete only now
 *
 * Row groups are encoded and flushed to disk as they come (the library's file writer flushes every MB), so
 * memory holds one row group. `time` is INT64 TIMESTAMP(MILLIS, UTC) with delta encoding (1 s steps pack
 * to almost nothing), strings are dictionary-encoded, readings are nullable DOUBLE; snappy throughout.
 * The file carries the row schema id and every sensor's name and unit as key-value metadata.
 */
export interface ParquetFile {
  writeRowGroup(columns: Record<string, ArrayLike<unknown>>): void;
  finish(): void;
}

type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

export function openParquetFile(path: string, columns: RowColumn[]): ParquetFile {
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)],
    codec: 'SNAPPY',
    createdBy: 'gpuz-cloud',
    kvMetadata: [
      { key: 'gpuz.rows.schema', value: ROWS_SCHEMA },
      {
        key: 'gpuz.columns',
        value: JSON.stringify(
          columns.filter((c) => c.sensor).map((c) => ({ column: c.name, ...c.sensor, type: c.type })),
        ),
      },
    ],
  });
  return {
    writeRowGroup(data) {
      const rows = data.time?.length ?? 0;
      if (rows === 0) return;
      const result = writer.write({
        rowGroupSize: rows,
        columnData: columns.map((column) => ({
          name: column.name,
          data: (data[column.name] ?? new Array(rows).fill(null)) as unknown[],
          ...(column.type === 'timestamp' ? { encoding: 'DELTA_BINARY_PACKED' as const } : {}),
        })),
      });
      if (result instanceof Promise) throw new Error('parquet-file: the file writer flushes synchronously');
    },
    finish() {
      writer.finish();
    },
  };
}

function schemaElement(column: RowColumn): SchemaElement {
  const repetition_type = column.required ? 'REQUIRED' : 'OPTIONAL';
  switch (column.type) {
    case 'timestamp':
      return {
        name: column.name,
        type: 'INT64',
        converted_type: 'TIMESTAMP_MILLIS',
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        repetition_type,
      };
    case 'int32':
      return { name: column.name, type: 'INT32', repetition_type };
    case 'string':
      return { name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
    case 'double':
      return { name: column.name, type: 'DOUBLE', repetition_type };
  }
}
