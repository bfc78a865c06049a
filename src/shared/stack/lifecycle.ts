/**
 * The lifecycle every bucket of the stack has (infra/secure-bucket.ts): a replaced or expired object stays this many
 * days as a noncurrent version of the versioned bucket, then goes. The cost model stores an expired raw batch that
 * long too (src/shared/cost/usage.ts `rawMonthsStored`).
 */
export const NONCURRENT_VERSION_DAYS = 7;
