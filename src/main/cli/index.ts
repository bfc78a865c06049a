import { formatErrorLine } from '../../shared/errors';
import { createProgram } from './program';

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`gpuz-cloud: ${formatErrorLine(error)}\n`);
    process.exitCode = 2;
  });
