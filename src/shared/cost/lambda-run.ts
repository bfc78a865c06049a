import { COLD_START_CPU_SECONDS, CPU_SECONDS_PER_MB, projectedSeconds } from '../process/lambda-budget';

/**
 * How long one run of the processor function is billed for, from the CPU measured on the bench machine at a
 * 256 MB function's share (src/shared/process/lambda-budget.ts: a full vCPU at 1,769 MB).
 *
 *   LAMBDA_RUN_BASE_MS                → 1309   (cold start 175 ms CPU × 1,769/256 = 1,209 ms, + 100 ms of S3)
 *   lambdaMsForCpu(0.0055)            → 38     (the CPU of 1,000 rows of log → ms in the function)
 *
 * Every run is counted as a cold start: Lambda bills the INIT phase since 2025-08-01, hourly batches and the daily
 * analytics copy always find the function cold, and at 5-minute batches some runs reuse a warm one (the upper end).
 */

/** One GET of the raw object and one PUT of the processed one, inside the region (assumed, not measurable here). */
const S3_ROUND_TRIPS_MS = 100;

/** CPU seconds on the bench machine → ms billed in the 256 MB function. */
export function lambdaMsForCpu(cpuSeconds: number): number {
  return projectedSeconds(cpuSeconds) * 1000;
}

/** The fixed part of every run: a cold start plus the object's GET and PUT. */
export const LAMBDA_RUN_BASE_MS = Math.round(lambdaMsForCpu(COLD_START_CPU_SECONDS)) + S3_ROUND_TRIPS_MS;

/** The processor's measured CPU per MB of log × `bytesPerRow`, for 1,000 rows, in ms billed. */
export function lambdaMsPerThousandRows(bytesPerRow: number): number {
  return lambdaMsForCpu((CPU_SECONDS_PER_MB * bytesPerRow * 1000) / 1e6);
}
