#!/usr/bin/env node
// Real test servers on 127.0.0.1 for the integration tests: moto (AWS APIs) and Apache Kafka 4.x.
//   node scripts/services.mjs start    start both if needed, print the env lines
//   node scripts/services.mjs env      same, but only the env lines: eval "$(node scripts/services.mjs env)"
//   node scripts/services.mjs status   show what runs (exit 0 when both do, 3 otherwise)
//   node scripts/services.mjs stop     stop what this script started, delete the Kafka data
//   node scripts/services.mjs fetch    only download the Kafka jars into the cache
// Human messages go to stderr, so stdout stays eval-able. Only processes recorded in the state folder
// (and whose command line still matches) are ever stopped.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isKafkaRunning, kafkaMarker, SASL_TEST_USER, startKafka } from './services/kafka.mjs';
import { ensureJars, hasJars, readKafkaVersion } from './services/kafka-jars.mjs';
import { isMotoRunning, motoMarker, startMoto } from './services/moto.mjs';
import { ensureMotoVenv, pinnedMotoCommand, resolveMotoVenv } from './services/moto-venv.mjs';
import { resolveKafkaCacheDir, resolveStateDir } from './services/paths.mjs';
import { stopProcess } from './services/processes.mjs';
import { findMotoCommand, listMissing, runs } from './services/requirements.mjs';
import { acquireLock, clearState, readState, writeState } from './services/state.mjs';

const log = (line) => process.stderr.write(`services: ${line}\n`);

/** `{ moto, kafka } → 'export MOTO_ENDPOINT=…'` lines for a POSIX shell. */
function formatEnv({ moto, kafka }) {
  const vars = {
    MOTO_ENDPOINT: moto.endpoint,
    KAFKA_BROKERS: kafka.brokers,
    GPUZ_TEST_KAFKA_SASL_BROKERS: kafka.saslBrokers,
    GPUZ_TEST_KAFKA_SASL_USERNAME: SASL_TEST_USER.username,
    GPUZ_TEST_KAFKA_SASL_PASSWORD: SASL_TEST_USER.password,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
  return Object.entries(vars)
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}

class MissingTools extends Error {}

/** `→ true` when python3 can make a venv (Debian: python3-venv installed). */
const canMakeVenv = () => runs('python3', ['-c', 'import ensurepip, venv']);

/**
 * How to start moto: the pinned one from the project's venv, installed on first use (~25 s); a system moto only
 * when no venv can be made (with a warning: its version is not the one the tests were run with); else `null`.
 */
function chooseMoto() {
  const pinned = pinnedMotoCommand();
  if (pinned) return pinned;
  if (canMakeVenv()) {
    try {
      log(`installing the pinned moto into ${resolveMotoVenv()} (once) …`);
      ensureMotoVenv();
      return pinnedMotoCommand();
    } catch (error) {
      log(`warning: ${error instanceof Error ? error.message : error}`);
    }
  }
  const system = findMotoCommand();
  if (system) log('warning: running the system moto, not the pinned one (services/moto/requirements.txt)');
  return system;
}

async function start(stateDir) {
  const release = await acquireLock(stateDir);
  try {
    const state = readState(stateDir);
    const version = readKafkaVersion();
    const cacheDir = resolveKafkaCacheDir(version);
    const motoUp = await isMotoRunning(state.moto);
    const kafkaUp = await isKafkaRunning(state.kafka);
    if (!kafkaUp && state.kafka && !state.kafka.saslBrokers) {
      // Ours, but from before the SASL listener: stop it so the new one can take its place.
      if (await stopProcess(state.kafka.pid, kafkaMarker(state.kafka)))
        log('stopped a Kafka without the SASL listener');
    }
    const motoCommand = motoUp ? null : chooseMoto();
    const missing = listMissing({
      needMoto: !motoUp,
      motoCommand,
      needJava: !kafkaUp,
      needMaven: !kafkaUp && !hasJars(cacheDir, version),
    });
    if (missing.length > 0) {
      throw new MissingTools(
        `cannot start the test services; missing:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
      );
    }
    if (motoUp) log(`moto already running: ${state.moto.endpoint} (pid ${state.moto.pid})`);
    if (kafkaUp) log(`Kafka already running: ${state.kafka.brokers} (pid ${state.kafka.pid})`);
    // The jars first (a download prints progress and may fail on its own), then both servers at once.
    if (!kafkaUp) ensureJars({ cacheDir, version, log });
    const starts = [];
    if (!motoUp) {
      starts.push(
        timed(() => startMoto({ command: motoCommand, stateDir })).then(([moto, took]) => {
          state.moto = moto;
          log(`moto started: ${moto.endpoint} (pid ${moto.pid}) in ${took}`);
        }),
      );
    }
    if (!kafkaUp) {
      starts.push(
        timed(() => startKafka({ jarsDir: join(cacheDir, 'jars'), stateDir })).then(([kafka, took]) => {
          state.kafka = { ...kafka, version };
          log(`Kafka ${version} started: ${kafka.brokers} (pid ${kafka.pid}) in ${took}`);
        }),
      );
    }
    const outcomes = await Promise.allSettled(starts);
    writeState(stateDir, state); // Also when one failed: `stop` must find the one that runs.
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;
    log(`state and logs: ${stateDir}`);
    return state;
  } finally {
    release();
  }
}

async function stop(stateDir) {
  const release = await acquireLock(stateDir);
  try {
    const state = readState(stateDir);
    if (state.kafka) {
      const was = await stopProcess(state.kafka.pid, kafkaMarker(state.kafka));
      log(was ? `Kafka stopped (pid ${state.kafka.pid})` : 'Kafka was not running');
    }
    if (state.moto) {
      const was = await stopProcess(state.moto.pid, motoMarker(state.moto.port));
      log(was ? `moto stopped (pid ${state.moto.pid})` : 'moto was not running');
    }
    if (!state.kafka && !state.moto) log('nothing to stop');
    clearState(stateDir);
    rmSync(join(stateDir, 'kafka', 'data'), { recursive: true, force: true });
    log(`logs kept in ${stateDir}`);
  } finally {
    release();
  }
}

async function status(stateDir) {
  const state = readState(stateDir);
  const motoUp = await isMotoRunning(state.moto);
  const kafkaUp = await isKafkaRunning(state.kafka);
  process.stdout.write(
    `moto:  ${motoUp ? `running ${state.moto.endpoint} (pid ${state.moto.pid})` : 'stopped'}\n` +
      `kafka: ${kafkaUp ? `running ${state.kafka.brokers} (pid ${state.kafka.pid}, Kafka ${state.kafka.version})` : 'stopped'}\n` +
      `state: ${stateDir}\n`,
  );
  return motoUp && kafkaUp ? 0 : 3;
}

/** `fetch`: everything the services need from package registries, so `start` downloads nothing. */
function fetchAll() {
  if (!canMakeVenv()) {
    throw new MissingTools(
      'cannot install moto; missing:\n  - python3 with venv: apt-get install -y python3 python3-venv',
    );
  }
  log(`moto ${ensureMotoVenv()}: ${resolveMotoVenv()}`);
  fetchJars();
}

function fetchJars() {
  const version = readKafkaVersion();
  const cacheDir = resolveKafkaCacheDir(version);
  const missing = listMissing({ needMaven: !hasJars(cacheDir, version) });
  if (missing.length > 0) throw new MissingTools(`cannot fetch the Kafka jars; missing:\n  - ${missing[0]}`);
  const result = ensureJars({ cacheDir, version, log });
  log(`Kafka ${version} jars ${result}: ${join(cacheDir, 'jars')}`);
}

/** `fn → [its result, '6.3 s']`. */
async function timed(fn) {
  const t0 = performance.now();
  const result = await fn();
  return [result, `${((performance.now() - t0) / 1000).toFixed(1)} s`];
}

async function main(command) {
  const stateDir = resolveStateDir();
  switch (command) {
    case 'start':
    case 'env':
      process.stdout.write(`${formatEnv(await start(stateDir))}\n`);
      return 0;
    case 'stop':
      await stop(stateDir);
      return 0;
    case 'status':
      return status(stateDir);
    case 'fetch':
      fetchAll();
      return 0;
    default:
      process.stderr.write('usage: node scripts/services.mjs start|stop|status|env|fetch\n');
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  log(
    error instanceof MissingTools
      ? error.message
      : `error: ${error instanceof Error ? error.message : error}`,
  );
  process.exitCode = error instanceof MissingTools ? 2 : 1;
}
