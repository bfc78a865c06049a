#!/usr/bin/env node
// Prepares the analytics engines for the tests, once: a Python venv with requirements.txt (DuckDB + httpfs,
// pyspark) and Spark's Kafka source jars (services/spark-kafka/pom.xml, Maven Central). Idempotent: a stamp
// holding the hash of both files says the cache is complete; anything else is (re)built.
//   node scripts/analytics/setup.mjs   → "analytics: ready in ~/.cache/gpuz-cloud (venv, spark-kafka jars)"
// GPUZ_ANALYTICS_VENV and GPUZ_SPARK_KAFKA_JARS move the two folders (the tests read the same variables).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVenv, runOrThrow, stampOf } from '../python-venv.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REQUIREMENTS = join(ROOT, 'scripts', 'analytics', 'requirements.txt');
const POM = join(ROOT, 'services', 'spark-kafka', 'pom.xml');
const CACHE = join(homedir(), '.cache', 'gpuz-cloud');
const VENV = process.env.GPUZ_ANALYTICS_VENV ?? join(CACHE, 'analytics-venv');
const JARS = process.env.GPUZ_SPARK_KAFKA_JARS ?? join(CACHE, 'spark-kafka', 'jars');
const JAR_IDS = 'spark-sql-kafka-0-10_2.13,spark-token-provider-kafka-0-10_2.13,kafka-clients,commons-pool2';

function ensureAnalyticsVenv() {
  return ensureVenv({ dir: VENV, requirements: REQUIREMENTS });
}

function ensureJars() {
  const stampFile = join(JARS, '.gpuz-pom');
  const stamp = stampOf(POM);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return 'cached';
  const partial = `${JARS}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  runOrThrow(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${partial}`,
      `-DincludeArtifactIds=${JAR_IDS}`,
    ],
    'Fetching the Spark Kafka source jars with Maven (apt-get install -y maven)',
  );
  writeFileSync(join(partial, '.gpuz-pom'), stamp);
  rmSync(JARS, { recursive: true, force: true });
  mkdirSync(dirname(JARS), { recursive: true });
  renameSync(partial, JARS);
  return 'fetched';
}

const t0 = performance.now();
try {
  const venv = ensureAnalyticsVenv();
  const jars = ensureJars();
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  process.stdout.write(
    `analytics: venv ${venv} (${VENV}), spark-kafka jars ${jars} (${JARS}) in ${seconds} s\n`,
  );
} catch (error) {
  process.stderr.write(`analytics setup: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
}
