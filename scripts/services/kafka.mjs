// Apache Kafka 4.x, one KRaft node (broker + controller), run from the cached jars.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { canConnect, findFreePort, waitUntil } from './net.mjs';
import { REPO_ROOT } from './paths.mjs';
import { isOurProcess, spawnDetached, stopProcess } from './processes.mjs';

const TEMPLATE = join(REPO_ROOT, 'services', 'kafka', 'server.properties');
/** The one user the broker's SASL/PLAIN listener accepts (test servers only). */
export const SASL_TEST_USER = { username: 'gpuz', password: 'gpuz-test-secret' };
const LOG4J = join(REPO_ROOT, 'services', 'kafka', 'log4j2.xml');
// Small heap and the serial collector: the broker shares two cores with the tests.
const JVM_OPTS = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-Djava.awt.headless=true'];

/**
 * A Kafka cluster id: 16 random bytes in unpadded base64url, e.g. `'q1Xh0o4dS8WcQ7n2kY3V_g'`.
 * Same form as `kafka-storage random-uuid`, without paying a JVM start for it.
 */
export function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id; // Kafka refuses ids that look like a command-line flag.
  }
}

/** Fills the `${NAME}` placeholders of the properties template; throws on one left unfilled. */
export function renderProperties(template, values) {
  const text = template.replace(/\$\{([A-Z_]+)\}/g, (whole, name) => {
    if (!(name in values)) throw new Error(`no value for ${whole} in ${TEMPLATE}`);
    return String(values[name]);
  });
  return text;
}

/** The identifying part of our broker's command line: its properties file in our state folder. */
export function kafkaMarker(kafka) {
  return kafka.configFile;
}

/** `→ true` when the recorded broker is still ours and accepts connections. */
export async function isKafkaRunning(kafka) {
  // A broker started before the SASL listener existed does not count: it is restarted.
  return (
    Boolean(kafka?.saslBrokers) &&
    isOurProcess(kafka.pid, kafkaMarker(kafka)) &&
    (await canConnect(kafka.port))
  );
}

/**
 * Formats fresh storage and starts the broker on two free ports, then waits until it serves metadata
 * and a group coordinator. `{ jarsDir, stateDir } → { pid, port, controllerPort, brokers, configFile, logFile }`.
 */
export async function startKafka({ jarsDir, stateDir }) {
  const dir = join(stateDir, 'kafka');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  const port = await findFreePort();
  let controllerPort = await findFreePort();
  while (controllerPort === port) controllerPort = await findFreePort();
  let saslPort = await findFreePort();
  while (saslPort === port || saslPort === controllerPort) saslPort = await findFreePort();
  const configFile = join(dir, 'server.properties');
  const values = {
    BROKER_PORT: port,
    CONTROLLER_PORT: controllerPort,
    SASL_PORT: saslPort,
    SASL_USER: SASL_TEST_USER.username,
    SASL_PASSWORD: SASL_TEST_USER.password,
    DATA_DIR: join(dir, 'data'),
  };
  writeFileSync(configFile, renderProperties(readFileSync(TEMPLATE, 'utf8'), values));
  const logFile = join(dir, 'broker.log');
  const classpath = join(jarsDir, '*');
  const javaArgs = [...JVM_OPTS, `-Dlog4j2.configurationFile=${LOG4J}`, '-cp', classpath];

  // Async so that moto, starting at the same time, keeps being polled while this JVM runs.
  try {
    await promisify(execFile)(
      'java',
      [
        ...javaArgs,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        configFile,
        '--standalone',
      ],
      { timeout: 120_000 },
    );
  } catch (caught) {
    const error = /** @type {Error & { stdout?: string, stderr?: string }} */ (caught);
    throw new Error(
      `formatting Kafka storage failed: ${error.message}\n${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
  }

  const pid = spawnDetached('java', [...javaArgs, 'kafka.Kafka', configFile], {
    logFile,
    cwd: dir,
    env: process.env,
  });
  const kafka = {
    pid,
    port,
    controllerPort,
    brokers: `127.0.0.1:${port}`,
    saslBrokers: `127.0.0.1:${saslPort}`,
    configFile,
    logFile,
  };
  const isAlive = () => isOurProcess(pid, configFile);
  try {
    await waitUntil(() => canConnect(port), { what: 'Kafka broker', timeoutMs: 90_000, isAlive, logFile });
    await waitUntil(() => canConnect(saslPort), {
      what: 'Kafka SASL listener',
      timeoutMs: 30_000,
      isAlive,
      logFile,
    });
    await waitForCoordinator(kafka.brokers, logFile);
  } catch (error) {
    await stopProcess(pid, configFile); // Nothing half-started is left behind unrecorded.
    throw error;
  }
  return kafka;
}

/**
 * Asks the broker for its cluster and for a group coordinator with kafkajs (the client our code uses).
 * The first coordinator lookup creates `__consumer_offsets`; doing it here keeps that wait out of tests.
 */
async function waitForCoordinator(brokers, logFile) {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  let kafkajs;
  try {
    kafkajs = require('kafkajs');
  } catch {
    return; // Before `npm ci`: the TCP check above is all we can do.
  }
  const { Kafka, logLevel } = kafkajs;
  const admin = new Kafka({
    clientId: 'gpuz-services',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) throw new Error('the broker reports no brokers');
    await admin.describeGroups(['gpuz-services-warm-up']);
  } catch (error) {
    throw new Error(
      `Kafka is listening but not serving (${error instanceof Error ? error.message : error}); see ${logFile}`,
    );
  } finally {
    await admin.disconnect();
  }
}
