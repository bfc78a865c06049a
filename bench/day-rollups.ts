/**
 * What the day seal costs the processor run that does it (docs/costs.md, Defaults): `npx tsx bench/day-rollups.ts
 * [--runs 11]`.
 *
 * Once per host and day, the first batch of a day finds no document for the day before and seals it: it reads each of
 * that day's processed objects (readProcessedDocument), outlines it (documentOutline, as lambda/day-seal.ts), and writes the day document once
 * (encodeDayRollups). Here a full day at 1 Hz of a real 29-sensor log (src/shared/process/testing/sample-processed-
 * day.ts) as 24 hourly objects of 3,600 rows and as 288 five-minute ones. Prints the stored sizes, then the CPU
 * (user + system of this process) of reading one hourly object and of each whole seal: the median of `runs` in this
 * process, and the first seal of fresh processes (`runs` / 4 of them, at least 3), closer to a cold Lambda. The cost
 * model keeps the highest seal CPU (DAY_SEAL_CPU_SECONDS, src/shared/process/lambda-budget.ts).
 */
import { spawnSync } from 'node:child_process';
import {
  type DayRollupsDocument,
  documentOutline,
  encodeDayRollups,
  withBatch,
} from '../src/shared/process/day-rollups';
import { readProcessedDocument } from '../src/shared/process/read-document';
import { type StoredObject, sampleProcessedDay } from '../src/shared/process/testing/sample-processed-day';
import { median, numberArg } from './support/measure';

function seal(objects: StoredObject[]): Uint8Array {
  let day: DayRollupsDocument | null = null;
  for (const { key, bytes } of objects)
    day = withBatch(day, documentOutline(readProcessedDocument(bytes, key), key, '""'));
  return encodeDayRollups(day!);
}

function cpuMsOf(work: () => unknown): number {
  const cpu = process.cpuUsage();
  work();
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / 1000;
}

const child = process.argv.indexOf('--child');
if (child > 0) {
  const objects = await sampleProcessedDay(Number(process.argv[child + 1]));
  console.log(JSON.stringify({ cpuMs: cpuMsOf(() => seal(objects)) }));
} else {
  const runs = numberArg('runs', 11);
  const ms = (values: number[]) => `${median(values).toFixed(1)} ms`;
  console.log(`node ${process.version}, one host's day at 1 Hz (86,400 rows)`);
  for (const batches of [24, 288]) {
    const objects = await sampleProcessedDay(batches);
    const stored = objects.reduce((sum, o) => sum + o.bytes.length, 0);
    const reads = Array.from({ length: runs }, () => cpuMsOf(() => readProcessedDocument(objects[0]!.bytes)));
    const seals = Array.from({ length: runs }, () => cpuMsOf(() => seal(objects)));
    const firsts = Array.from({ length: Math.max(3, Math.round(runs / 4)) }, () => {
      const run = spawnSync(
        process.execPath,
        [...process.execArgv, process.argv[1]!, '--child', String(batches)],
        { encoding: 'utf8' },
      );
      if (run.status !== 0) throw new Error(run.stderr);
      return (JSON.parse(run.stdout) as { cpuMs: number }).cpuMs;
    });
    console.log(
      `${batches} objects of ${86_400 / batches} rows, ${stored} B stored; day document ${seal(objects).length} B (gzip -6)`,
    );
    console.log(`  read one object, median of ${runs}: CPU ${ms(reads)}`);
    console.log(`  seal (read all + outline + encode once), median of ${runs}: CPU ${ms(seals)}`);
    console.log(`  first seal of ${firsts.length} fresh processes, median: CPU ${ms(firsts)}`);
  }
}
