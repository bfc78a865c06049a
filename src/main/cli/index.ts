import { formatErrorLine } from '../../shared/errors';
import { quietSdkNodeWarning } from '../core/node-support';
import { setProcessWorkerEntry } from '../core/pipeline/worker-entry';
import { createProgram } from './program';

// The SDK's 9-line Node-version warning would follow every AWS command; `gpuz-cloud doctor` says it once instead.
quietSdkNodeWarning(process.env);
// Bundled, the processing thread's bundle sits next to this file (scripts/build-cli.mjs); from the sources it
// does not, and a local store is processed in this thread.
setProcessWorkerEntry(new URL('./process-worker.mjs', import.meta.url));

createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    process.stderr.write(`gpuz-cloud: ${formatErrorLine(error)}\n`);
    process.exitCode = 2;
  });
