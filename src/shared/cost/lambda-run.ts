import {
  COLD_START_CPU_SECONDS,
  CPU_SECONDS_PER_MB,
  DAY_SEAL_CPU_SECONDS,
  DAY_SEAL_ROWS,
  projectedSeconds,
} from '../process/lambda-budget';

/**
 * How long one run of the processor function is billed for, from the CPU measured on the bench machine at a
 * 256 MB function's share (src/shared/process/lambda-budget.ts: a full vCPU at 1,769 MB).
 *
 *   LAMBDA_RUN_BASE_MS                → 1309   (cold start 175 ms CPU × 1,769/256 = 1,209 ms, + 100 ms of S3)
 *   lambdaMsForCpu(0.0055)            → 38     (the CPU of 1,000 rows of log → ms in the function)
 *   LAMBDA_SEAL_MS_PER_THOUSAND_ROWS  → 17.2   (the day seal's 215 ms CPU per 86,400 rows × 1,769/256, per 1,000)
 *   S3_REQUEST_MS                     → 50     (one S3 request waited for: the seal's HEAD, LIST, GETs and PUT)
 *
 * Every run is counted as a cold start: Lambda bills the INIT phase since 2025-08-01, hourly batches and the daily
 * analytics copy always find the function cold, and at 5-minute batches some runs reuse a warm one (the upper end).
 */

/** One S3 request inside the region, as the function waits for it (assumed, not measurable here). */
export const S3_REQUEST_MS = 50;
/** The raw object's GET and the processed object's PUT. */
const S3_ROUND_TRIPS_MS = 2 * S3_REQUEST_MS;

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

/**
 * The day seal's CPU (read a day's processed objects, outline them, encode the day document once) per 1,000 rows
 * sealed, in ms billed. Every row is sealed once, by the run that starts the next day.
 */
export const LAMBDA_SEAL_MS_PER_THOUSAND_ROWS = lambdaMsForCpu((DAY_SEAL_CPU_SECONDS * 1000) / DAY_SEAL_ROWS);
