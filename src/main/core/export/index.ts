export { createDayFile, type DayFile, type ExportFormat } from '../../../shared/analytics/day-file';
export { dayChunks, type RowChunk } from '../../../shared/analytics/day-rows';
export * from '../../../shared/analytics/row-schema';
export { CHECKPOINT_FILE, type ExportCheckpoint, loadExportCheckpoint } from './export-checkpoint';
export {
  type ExportProgress,
  type ExportReport,
  exportRows,
  exportToFolder,
} from './export-rows';
