export { createLocalProcessor, type LocalProcessor, type LocalProcessResult } from './local-processor';
