import { formatErrorLine } from '../../shared/errors';
import { createProgram } from './program';

createProgram(process.argv.slice(2))
  .then((program) => program.parseAsync(process.argv))
  .catch((error: unknown) => {
    process.stderr.write(`gpuz-cloud: ${formatErrorLine(error)}\n`);
    process.exitCode = 2;
  });
