/** Child of charts-process.ts: the headless dashboard over the benchmark's month; answers 'gets' and 'close'. */
import { createS3Client, createS3Store } from '../../src/main/core/store/s3';
import { startChartsHarness } from './charts-harness';
import type { ChartsMessage, ChartsProcessOptions } from './charts-process';

const options = JSON.parse(process.argv[2] ?? '{}') as ChartsProcessOptions;
const store = options.s3
  ? createS3Store({
      client: createS3Client({ region: options.s3.region, endpoint: options.s3.endpoint }),
      bucket: options.s3.bucket,
    })
  : undefined;
const harness = await startChartsHarness({ ...options, ...(store ? { store } : {}) });
const send = (message: ChartsMessage) => process.send?.(message);
process.on('message', async (message) => {
  if (message === 'gets') send({ gets: harness.requests.get });
  if (message === 'close') {
    await harness.close();
    process.disconnect();
  }
});
send({ url: harness.url });
