export { createDayFile, type DayFile, type ExportFormat } from './day-file';
export { dayChunks, type RowChunk } from './day-rows';
export { CHECKPOINT_FILE, type ExportCheckpoint, loadExportCheckpoint } from './export-checkpoint';
export { type ExportProgress, type ExportReport, exportRows, exportToFolder } from './export-rows';
export * from './row-schema';
