/**
 * Whole-process measurements for the bench: each contender is one command run under bench/measure.py (wall time,
 * CPU time and the process's own peak RSS, whatever its language), the contenders alternating round by round so load
 * from other work on the shared machine falls on all of them alike; the median of the rounds is reported.
 *
 *   const [ours, duckdb] = measureAlternating([oursCommand, duckdbCommand], 3)
 *     → [{ seconds: 0.74, rssMb: 75, stdout: '{"rows":180000,…}' }, …]   (medians by time)
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Measured {
  seconds: number;
  /** User + system time of every thread of the process, start-up included. */
  cpuSeconds: number;
  rssMb: number;
  stdout: string;
}

const MEASURE = join(import.meta.dirname, '..', 'measure.py');

/** Runs `command` once under measure.py; throws with its stderr when it fails. */
export function measure(command: string[]): Measured {
  const result = spawnSync('python3', [MEASURE, ...command], { encoding: 'utf8', maxBuffer: 1 << 22 });
  if (result.status !== 0) throw new Error(`measure.py failed: ${result.stderr}`);
  const m = JSON.parse(result.stdout) as Measured & { code: number; stderr: string };
  if (m.code !== 0) throw new Error(`${command.join(' ')} exited ${m.code}: ${m.stderr}`);
  return { seconds: m.seconds, cpuSeconds: m.cpuSeconds, rssMb: m.rssMb, stdout: m.stdout };
}

/** Each command `rounds` times, alternating; per command the run of median time (its RSS is the max of all runs). */
export function measureAlternating(commands: string[][], rounds = 3): Measured[] {
  const runs: Measured[][] = commands.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, command] of commands.entries()) runs[i]!.push(measure(command));
  }
  return runs.map((list) => {
    const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return { ...median, rssMb: Math.max(...list.map((m) => m.rssMb)) };
  });
}

/** The middle value (the upper middle of an even count): median([3, 1, 2]) → 2. */
export const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** `1.234` → `'1.23 s'`; `75.4` → `'75 MB'`. */
export const seconds = (s: number) => `${s.toFixed(2)} s`;
export const megabytes = (mb: number) => `${mb.toFixed(0)} MB`;

/** A number flag of the bench's command line: `--days 7` → numberArg('days', 30) = 7; absent → 30. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
