// Finds the programs the services need and says how to install whatever is missing.
import { spawnSync } from 'node:child_process';

/** `→ true` when `command args` runs and exits 0 (e.g. `java -version`). */
export function runs(command, args) {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/**
 * How to start moto: `['moto_server']` from PATH, else `['python3', '-m', 'moto.server']` when the module
 * imports, else `null`.
 */
export function findMotoCommand() {
  if (runs('moto_server', ['--help'])) return ['moto_server'];
  if (runs('python3', ['-c', 'import moto.server, flask'])) return ['python3', '-m', 'moto.server'];
  return null;
}

/** One line per missing tool with the command that installs it on Debian/Ubuntu; `[]` when all are present. */
export function listMissing({ needMoto, needJava, needMaven }) {
  const missing = [];
  if (needMoto && !findMotoCommand()) {
    missing.push("moto server (S3/CloudWatch emulator): python3 -m pip install 'moto[server]'");
  }
  if (needJava && !runs('java', ['-version'])) {
    missing.push('Java 17+ (runs Kafka): apt-get install -y openjdk-17-jre-headless');
  }
  if (needMaven && !runs('mvn', ['-v'])) {
    missing.push('Maven (fetches the Kafka jars once): apt-get install -y maven');
  }
  return missing;
}
