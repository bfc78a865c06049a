// The bench's closing table (issue 18, goal 5): each area appends its goal rows as JSON lines to the file named by
// BENCH_GOALS_FILE (scripts/bench.mjs sets it), and the table of work, ours, baseline, ratio, goal, met/missed
// is printed at the end of `npm run bench` (and by an area run alone). Plain JS: bench.mjs runs without tsx.
//   appendGoal({ area: 'parse', work: 'parse 100 MB', ours: '0.74 s, 75 MB', baseline: 'DuckDB 1.04 s',
//                ratio: '1.41×', goal: '≥ 1.2×, ≤ 100 MB', met: true })
//   formatGoalTable(readGoals(file)) → '| work | ours | baseline | ratio | goal | met |' …
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Appends one row to BENCH_GOALS_FILE when set (else does nothing); returns the row. */
export function appendGoal(row) {
  const file = process.env.BENCH_GOALS_FILE;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
  return row;
}

/** The rows a run appended, in order (none when the file is missing). */
export function readGoals(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

/** `'1.52 / 1.61 / 1.70'` of the machine's load average now (1, 5, 15 minutes). */
export function loadAverage() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

/** Markdown table of the rows, with the load average at the end (ratios are side by side in one run). */
export function formatGoalTable(rows) {
  const header = ['work', 'ours', 'baseline', 'ratio', 'goal', 'met'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (r) => `| ${[r.work, r.ours, r.baseline, r.ratio, r.goal, r.met ? 'met' : 'MISSED'].join(' | ')} |`,
    ),
  ];
  return `${lines.join('\n')}\n(load average ${loadAverage()}, 2 cores shared)\n`;
}
