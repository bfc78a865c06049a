import { formatErrorLine } from '../../shared/errors';
import { quietSdkNodeWarning } from '../core/node-support';
import { createProgram } from './program';

// The SDK's 9-line Node-version warning would follow every AWS command; `gpuz-cloud doctor` says it once instead.
quietSdkNodeWarning(process.env);

createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    process.stderr.write(`gpuz-cloud: ${formatErrorLine(error)}\n`);
    process.exitCode = 2;
  });
