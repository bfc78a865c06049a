import { App } from 'cdktf';
import { formatErrorLine } from '../src/shared/errors';
import { configFromEnv } from './config';
import { GpuzCloudStack } from './stack';

// `npm run synth` builds the bundle first; run directly without one, this says so in one line, not a stack trace.
try {
  const app = new App();
  new GpuzCloudStack(app, 'gpuz-cloud', configFromEnv(process.env));
  app.synth();
} catch (error) {
  process.stderr.write(`synth: ${formatErrorLine(error)}\n`);
  process.exitCode = 1;
}
