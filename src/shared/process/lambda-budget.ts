/**
 * How big a raw batch the processor Lambda can take: its CPU share scales with memory (a full vCPU at 1,769 MB),
 * so a 256 MB function gets ≈ 1/7 of the CPU time the bench machine gives one process.
 *
 *   projectedSeconds(1.0, 256)                  → 6.9   (1 s of CPU here takes ≈ 6.9 s in a 256 MB Lambda)
 *   largestBatchMb({ cpuSecondsPerMb: 0.0099 }) → 438   (log MB that stay under half the 60 s timeout)
 *   LAMBDA_MAX_BATCH_BYTES                     → what the agent never exceeds in one batch
 * The CPU per MB is measured by `npm run bench:processor` (process CPU time, every thread, of the real
 * processor on the 100 MB log replay, on the Lambda's Node 22 when fetched; docs/benchmarks.md). The stack's defaults are infra/config.ts's
 * (memoryMb 256, timeoutSeconds 60; a test keeps them equal).
 */

/** Memory at which Lambda gives one full vCPU. */
export const FULL_VCPU_MB = 1769;
export const LAMBDA_MEMORY_MB = 256;
export const LAMBDA_TIMEOUT_SECONDS = 60;
/**
 * Measured 2026-12-02 (`npm run bench -- processor`, 100 MB log, on Node 22.23.3 = the Lambda's runtime): 0.89 s CPU
 * at 15:15 UTC (load 7–9), 1.00 s at 15:36 (load 3–4) for 100.6 MB; the higher one is kept. Was 0.0143 (1.38–1.44 s,
 * 12:27 UTC, Node 20, before the columnar parser sink, typed-array rollups and the byte encoder; docs/benchmarks.md).
 */
export const CPU_SECONDS_PER_MB = 0.0099;
/** What the stack sets as the function's NODE_OPTIONS (infra/processor.ts); the bench's cold start runs with it. */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';
/**
 * CPU of a cold start: a fresh Node 22.23.3 (the Lambda's nodejs22.x) importing the built bundle (dist/lambda/index.mjs:
 * AWS SDK S3 client, kafkajs, the Parquet writer) with LAMBDA_NODE_OPTIONS. Measured 2026-12-02 16:12 UTC, machine
 * idle, 7 runs 158–192 ms, median 175 ms (`npm run bench -- processor` prints it as "cold start"). Lambda bills this
 * INIT phase (since 2025-08-01) at the function's CPU share; the runtime's own start comes on top (not measured here).
 */
export const COLD_START_CPU_SECONDS = 0.175;
/**
 * CPU of the Lambda's day seal (src/shared/process/day-rollups.ts) for one host's full day at 1 Hz (86,400 rows):
 * readProcessedDocument of each of the day's processed objects, its outline, and one encodeDayRollups (gzip -6).
 * Done once per host and day, by the first batch of the next day. Measured 2026-12-03 19:26–19:27 UTC on this
 * 2-vCPU AMD EPYC build machine (load 2.8–3.8), Node 22.23.3 (the Lambda's nodejs22.x), `npx tsx
 * bench/day-rollups.ts --runs 11` and `--runs 21` (src/shared/process/testing/sample-processed-day.ts: the real
 * 29-sensor nvidia-turing-usbc-gpuz-2023 log replayed): 24 hourly objects of 3,600 rows (5.5–8.1 ms to read one)
 * 148–200 ms in-process, 160–211 ms as a fresh process's first seal; 288 five-minute objects 174 ms and 207–214 ms
 * (medians). The highest, 214 ms, is kept, rounded up. Scales with the rows read (DAY_SEAL_ROWS).
 */
export const DAY_SEAL_CPU_SECONDS = 0.215;
/** The rows of the day DAY_SEAL_CPU_SECONDS was measured on: 24 h at 1 Hz. */
export const DAY_SEAL_ROWS = 86_400;
/**
 * Memory bounds a batch before CPU does: the 100 MB log peaks at ≈ 145–150 MB RSS in the processor (2026-12-02;
 * ≈ 200 MB before), and beyond DEFAULT_MAX_CELLS (≈ 170 MB of such a log) a batch is quarantined TOO_LARGE.
 */
const MEMORY_BOUND_MB = 100;

/** CPU seconds measured here → wall seconds in a Lambda of `memoryMb` (its CPU share). */
export function projectedSeconds(cpuSeconds: number, memoryMb = LAMBDA_MEMORY_MB): number {
  return (cpuSeconds * FULL_VCPU_MB) / Math.min(memoryMb, FULL_VCPU_MB);
}

/** The largest batch (MB of log text) whose projected processing stays under half the timeout. */
export function largestBatchMb(options: {
  cpuSecondsPerMb: number;
  memoryMb?: number;
  timeoutSeconds?: number;
}): number {
  const half = (options.timeoutSeconds ?? LAMBDA_TIMEOUT_SECONDS) / 2;
  return half / projectedSeconds(options.cpuSecondsPerMb, options.memoryMb);
}

/** The agent's cap on one raw batch: half the timeout by CPU, and no more than the memory bound. */
export const LAMBDA_MAX_BATCH_BYTES = Math.floor(
  Math.min(largestBatchMb({ cpuSecondsPerMb: CPU_SECONDS_PER_MB }), MEMORY_BOUND_MB) * 1e6,
);
