export { type Checkpoint, loadCheckpoint } from './checkpoint';
export { type ForwardProgress, type ForwardReport, forwardProcessed } from './forward-processed';
export { createFolderSource, createS3Source, type ProcessedSource, processedSourceFor } from './sources';
