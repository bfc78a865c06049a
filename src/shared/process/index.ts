/**
 * The processing core shared by the Lambda (lambda/handler.ts), the local pipeline
 * (src/main/core/pipeline) and the `forward` command. Format: docs/processed-format.md.
 */

export {
  batchOutline,
  DAY_ROLLUPS_SCHEMA,
  type DayBatchOutline,
  type DayBatchSession,
  type DayRollupsDocument,
  dayDocument,
  dayRollupsKeyFor,
  dayRollupsPrefix,
  decodeDayRollups,
  documentOutline,
  encodeDayRollups,
  previousDay,
  processedPrefixOf,
  sameEtag,
  withBatch,
} from './day-rollups';
export { encodeProcessed } from './encode-processed';
export {
  DEFAULT_MAX_CELLS,
  type ProcessDeps,
  type ProcessedBatch,
  type ProcessOutcome,
  processRawObject,
  type RawObjectInput,
} from './process-raw';
export { type Producer, type SendReport, sendRows, withTimeout } from './producer';
export { createQuarantine, encodeQuarantine } from './quarantine';
export { readProcessedDocument } from './read-document';
export { batchRows, documentRows, type RowMessage, type RowTable, rowMessages } from './row-messages';
export * from './types';
