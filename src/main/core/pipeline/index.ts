export {
  createLocalProcessor,
  type LeftRawResult,
  type LocalProcessor,
  type LocalProcessResult,
  type StoredRaw,
} from './local-processor';
export { processWorkerEntry, setProcessWorkerEntry } from './worker-entry';
