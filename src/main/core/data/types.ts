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
  /** Epoch ms of the earliest and latest sample. */
  first: number;
  last: number;
  sensors: SensorInfo[];
  /** Times of rows that follow a GPU-Z header (a new logging session); absent in caches of older versions. */
  sessionStarts?: number[];
}

export interface DecodedBatch {
  sensors: SensorInfo[];
  /** Times of the first row of each session that starts at a header (see ProcessedSession.header). */
  sessionStarts: number[];
  rows: BatchRows;
  rollups: BatchRollups;
}

/** A batch without its rows: what a long-range chart needs (decode-processed.ts outlineProcessed). */
export type DecodedOutline = Omit<DecodedBatch, 'rows'> & {
  /** Epoch ms of the earliest and latest row. */
  first: number;
  last: number;
};
