// The Kafka broker's jars: fetched once from Maven Central with services/kafka/pom.xml, then cached.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './paths.mjs';

export const KAFKA_POM = join(REPO_ROOT, 'services', 'kafka', 'pom.xml');

/** The Kafka version the pom pins, e.g. `'4.1.1'` (the pom is the one place it is written). */
export function readKafkaVersion(pomFile = KAFKA_POM) {
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(pomFile, 'utf8'));
  if (!match) throw new Error(`${pomFile} has no <kafka.version> property`);
  return String(match[1]).trim();
}

/** `→ true` when `cacheDir/jars` holds a complete download (it is renamed into place only when done). */
export function hasJars(cacheDir, version) {
  return existsSync(join(cacheDir, 'jars', `kafka_2.13-${version}.jar`));
}

/**
 * Copies kafka_2.13 and its runtime dependencies into `cacheDir/jars` with Maven, unless already there.
 * `→ 'cached' | 'fetched'`. Throws with Maven's output when the download fails.
 */
export function ensureJars({ cacheDir, version, log }) {
  if (hasJars(cacheDir, version)) return 'cached';
  mkdirSync(cacheDir, { recursive: true });
  const partial = join(cacheDir, `jars.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  log(`fetching Kafka ${version} jars with Maven into ${cacheDir} (once) …`);
  const mvn = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      KAFKA_POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${partial}`,
      '-DincludeScope=runtime',
    ],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (mvn.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const output = `${mvn.stdout ?? ''}${mvn.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new Error(`Maven could not fetch the Kafka jars (exit ${mvn.status}):\n${output}`);
  }
  if (hasJars(cacheDir, version)) {
    rmSync(partial, { recursive: true, force: true }); // Another start finished first.
  } else {
    renameSync(partial, join(cacheDir, 'jars'));
  }
  return 'fetched';
}
