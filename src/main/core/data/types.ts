/**
 * The processed batch as the dashboard uses it, independent of the stored document's layout
 * (decode-processed.ts adapts the processor's format to this).
 */
import type { SensorInfo } from '../../../shared/contract';

export type Columns = Record<string, (number | null)[]>;

/** Rows of one batch: epoch-ms time stamps with one value array per sensor key (aligned with t). */
export interface BatchRows {
  t: number[];
  values: Columns;
}

/** 1-minute rollups of one batch: minute start (epoch ms) with min/max/avg/count per sensor key. */
export interface BatchRollups {
  t: number[];
  min: Columns;
  max: Columns;
  avg: Columns;
  count: Columns;
}

export interface BatchSummary {
  key: string;
  etag: string;
  /** Epoch ms of the first and last sample. */
  first: number;
  last: number;
  sensors: SensorInfo[];
}

export interface DecodedBatch {
  sensors: SensorInfo[];
  rows: BatchRows;
  rollups: BatchRollups;
}
