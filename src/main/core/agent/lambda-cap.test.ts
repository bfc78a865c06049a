import { DEFAULT_CONFIG } from '../../../../infra/config';
import {
  LAMBDA_MAX_BATCH_BYTES,
  LAMBDA_MEMORY_MB,
  LAMBDA_TIMEOUT_SECONDS,
  largestBatchMb,
  projectedSeconds,
} from '../../../shared/process/lambda-budget';
import { DEFAULTS } from './config';

describe('the Lambda budget of one batch', () => {
  it('projects CPU time here to a 256 MB function (1/6.9 of a vCPU) and a full vCPU at most', () => {
    expect(projectedSeconds(1, 256)).toBeCloseTo(6.91, 2);
    expect(projectedSeconds(1, 1769)).toBe(1);
    expect(projectedSeconds(1, 3538)).toBe(1);
  });

  it('the largest batch stays under half the timeout', () => {
    const mb = largestBatchMb({ cpuSecondsPerMb: 0.02, memoryMb: 256, timeoutSeconds: 60 });
    expect(projectedSeconds(mb * 0.02, 256)).toBeCloseTo(30, 6);
  });

  it('uses the stack defaults, and the agent never cuts a batch above the cap', () => {
    expect(LAMBDA_MEMORY_MB).toBe(DEFAULT_CONFIG.memoryMb);
    expect(LAMBDA_TIMEOUT_SECONDS).toBe(DEFAULT_CONFIG.timeoutSeconds);
    expect(DEFAULTS.maxBatchBytes).toBeLessThanOrEqual(LAMBDA_MAX_BATCH_BYTES);
  });
});
