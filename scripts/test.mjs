#!/usr/bin/env node
// `npm test`: every check in order, none skipped silently, one closing line.
//   lint → typecheck → build → unit → (start services) → integration → analytics → e2e → windows → (stop services)
// The windows step (the built CLI as a Windows program under Wine) runs where Wine and node.exe are installed
// (.ci/run installs both); elsewhere it prints why it is skipped.
// Every step runs even after an earlier one failed, so one run shows all problems; the exit code is
// non-zero when any step failed. The last line is `summary: N passed, N failed, N skipped`, counting
// tests across suites plus one failure for each failed step that has no test count (lint, typecheck…).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { windowsSkipReason } from '../windows/support/requirements.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const reportDir = mkdtempSync(join(tmpdir(), 'gpuz-test-'));
/**
 * The tests' temp folder (TMPDIR of every vitest step), deleted with the reports at the end: what tests leave in it
 * (a killed CLI's files, folders a test does not remove) does not pile up in /tmp run after run (144 folders of
 * find-terraform tests alone had, on the dev machine).
 */
const testTemp = join(reportDir, 'tmp');
mkdirSync(testTemp);
const startedAt = performance.now();
const results = [];
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Failed tests as `file › name: first error line`, repeated at the end so a log's tail names them. */
const failures = [];

/**
 * Runs `command args` from the repository root with inherited output. `→ exit code` (signal → 1).
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, stdout?: 'inherit' | 'pipe' }} [options]
 * @returns {Promise<{ code: number, out: string }>}
 */
function run(command, args, { env = process.env, stdout = 'inherit' } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', stdout, 'inherit'] });
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', (error) => {
      process.stderr.write(`test: cannot run ${command}: ${error.message}\n`);
      resolve({ code: 127, out });
    });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

function banner(name) {
  process.stdout.write(`\n=== ${name} ===\n`);
}

/** Records a step; `counts` are test counts when the step reports them. */
function record(name, ok, seconds, counts, note = '') {
  let failed = counts?.failed ?? 0;
  if (!ok && failed === 0) failed = 1; // A failed step with no failed test (lint, crash, load error) still counts.
  totals.passed += counts?.passed ?? 0;
  totals.failed += failed;
  totals.skipped += counts?.skipped ?? 0;
  results.push({ name, status: ok ? 'ok' : 'FAILED', seconds, counts, note });
}

async function step(name, command, args, options) {
  banner(name);
  const t0 = performance.now();
  const { code } = await run(command, args, options);
  record(name, code === 0, elapsed(t0));
  return code === 0;
}

/** Vitest JSON report → `{ passed, failed, skipped }`; `null` when the run wrote none. */
function readVitestCounts(file) {
  if (!existsSync(file)) return null;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of r.testResults ?? []) {
    const where = suite.name.replace(ROOT, '');
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'failed') failures.push(`${where} › ${t.title}: ${firstLine(t.failureMessages?.[0])}`);
    }
    if (suite.status === 'failed' && !suite.assertionResults?.length) {
      failures.push(`${where}: ${firstLine(suite.message)}`);
    }
  }
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
}

/** Playwright JSON report → counts (flaky tests passed on retry and count as passed). */
function readPlaywrightCounts(file) {
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const { stats } = report;
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const error = test.results?.at(-1)?.error?.message;
        failures.push(`${spec.file} › ${spec.title}: ${firstLine(error)}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of report.suites ?? []) visit(suite);
  return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
}

async function vitestStep(project, env) {
  banner(`${project} tests`);
  const file = join(reportDir, `${project}.json`);
  const t0 = performance.now();
  const { code } = await run(
    'npx',
    [
      'vitest',
      'run',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${file}`,
    ],
    { env: { ...env, TMPDIR: testTemp } },
  );
  record(`${project} tests`, code === 0, elapsed(t0), readVitestCounts(file));
}

/**
 * The test servers' environment. In order: the caller's MOTO_ENDPOINT/KAFKA_BROKERS; services that
 * `scripts/services.mjs start` already runs (reused, left running); else a private pair in a state folder
 * of our own, stopped at the end — so `npm test` never stops servers someone else started.
 */
async function startServices() {
  if (process.env.MOTO_ENDPOINT && process.env.KAFKA_BROKERS) {
    process.stdout.write(
      `\nusing the services in the environment: ${process.env.MOTO_ENDPOINT}, ${process.env.KAFKA_BROKERS}\n`,
    );
    return { env: process.env, started: false };
  }
  banner('start test services');
  const t0 = performance.now();
  const running = (await run('node', ['scripts/services.mjs', 'status'], { stdout: 'pipe' })).code === 0;
  const env = { ...process.env };
  if (!running) env.GPUZ_SERVICES_DIR = join(reportDir, 'services');
  const { code, out } = await run('node', ['scripts/services.mjs', running ? 'env' : 'start'], {
    env,
    stdout: 'pipe',
  });
  for (const [, name, value] of out.matchAll(/^export ([A-Z_]+)=(.*)$/gm)) env[String(name)] = value;
  record(running ? 'reuse test services' : 'start test services', code === 0, elapsed(t0));
  if (running) return { env, started: false };
  // Ctrl-C reaches the children (same process group); stop the services we started before leaving.
  process.once('SIGINT', async () => {
    await run('node', ['scripts/services.mjs', 'stop'], { env });
    process.exit(130);
  });
  return { env, started: true };
}

/** The last lines of the servers' logs, which are deleted with our private state folder. */
function printServiceLogs(stateDir) {
  for (const log of [join(stateDir, 'moto.log'), join(stateDir, 'kafka', 'broker.log')]) {
    if (!existsSync(log)) continue;
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20);
    process.stdout.write(`\n--- last lines of ${log} ---\n${lines.join('\n')}\n`);
  }
}

/** The first non-empty line of an error text, without terminal colours, at most 300 characters. */
function firstLine(text) {
  const line = stripVTControlCharacters(String(text ?? 'no message'))
    .split('\n')
    .find((l) => l.trim());
  return (line ?? 'no message').trim().slice(0, 300);
}

function elapsed(t0) {
  return (performance.now() - t0) / 1000;
}

function printSummary() {
  process.stdout.write('\n=== results ===\n');
  for (const r of results) {
    const counts = r.counts
      ? ` (${r.counts.passed} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped)`
      : '';
    process.stdout.write(
      `${r.status.padEnd(8)}${r.name.padEnd(24)}${r.seconds.toFixed(1).padStart(6)} s${counts}${r.note}\n`,
    );
  }
  if (failures.length > 0) {
    process.stdout.write('failed tests:\n');
    for (const f of failures) process.stdout.write(`  ✗ ${f}\n`);
  }
  process.stdout.write(`total ${elapsed(startedAt).toFixed(1)} s\n`);
  process.stdout.write(
    `summary: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
  );
}

async function main() {
  await step('lint', 'npm', ['run', '--silent', 'lint']);
  await step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
  await step('build', 'npm', ['run', '--silent', 'build']);
  await vitestStep('unit', process.env);

  const services = await startServices();
  try {
    await vitestStep('integration', services.env);
    if (services.started && results.at(-1).status !== 'ok') printServiceLogs(services.env.GPUZ_SERVICES_DIR);
    // DuckDB and Spark against the exports, the daily copy in moto and the Kafka topic (docs/analytics.md).
    if (await step('analytics setup', 'node', ['scripts/analytics/setup.mjs'])) {
      await vitestStep('analytics', services.env);
    }
    banner('e2e tests');
    const file = join(reportDir, 'e2e.json');
    const t0 = performance.now();
    const env = { ...services.env, PLAYWRIGHT_JSON_OUTPUT_FILE: file };
    const { code } = await run('npx', ['playwright', 'test', '--reporter=list,json'], { env });
    record('e2e tests', code === 0, elapsed(t0), readPlaywrightCounts(file));
    const wine = windowsSkipReason();
    if (wine) {
      banner('windows tests');
      process.stdout.write(`windows: skipped — ${wine}\n`);
      results.push({ name: 'windows tests', status: 'skipped', seconds: 0, note: ` (${wine})` });
    } else {
      await vitestStep('windows', services.env);
    }
  } finally {
    if (services.started) {
      banner('stop test services');
      await run('node', ['scripts/services.mjs', 'stop'], { env: services.env });
    }
  }
}

try {
  await main();
} catch (error) {
  record('test runner', false, 0, null, ` (${error instanceof Error ? error.message : error})`);
} finally {
  try {
    rmSync(reportDir, { recursive: true, force: true });
  } catch (error) {
    // A test that left a mount in its temp folder (the disk-full test, if it could not unmount): said, not fatal.
    process.stdout.write(
      `could not delete ${reportDir}: ${error instanceof Error ? error.message : error}\n`,
    );
  }
}
printSummary();
process.exitCode = totals.failed > 0 ? 1 : 0;
