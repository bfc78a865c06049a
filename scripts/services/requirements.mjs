// Finds the programs the services need and says how to install whatever is missing.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `→ true` when `command args` runs and exits 0 (e.g. `java -version`). */
export function runs(command, args) {
  const r = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/** `'moto_server' → '/usr/local/bin/moto_server'`: the first executable of that name on PATH, else `null`. */
export function findOnPath(name, path = process.env.PATH ?? '') {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this folder.
    }
  }
  return null;
}

/**
 * A system moto (the fallback when the pinned venv cannot be made): `['moto_server']` from PATH, else
 * `['python3', '-m', 'moto.server']` when the module imports, else `null`. Looked up, not run: importing moto
 * takes over a second.
 */
export function findMotoCommand() {
  if (findOnPath('moto_server')) return ['moto_server'];
  if (runs('python3', ['-c', 'import moto.server, flask'])) return ['python3', '-m', 'moto.server'];
  return null;
}

/**
 * One line per missing tool with the command that installs it on Debian/Ubuntu; `[]` when all are present.
 * `needMoto` is checked against `motoCommand` (from `findMotoCommand()`, looked up once by the caller).
 * @param {{ needMoto?: boolean, motoCommand?: string[] | null, needJava?: boolean, needMaven?: boolean }} needs
 */
export function listMissing({ needMoto, motoCommand, needJava, needMaven }) {
  const missing = [];
  if (needMoto && !motoCommand) {
    missing.push(
      'moto server (S3/CloudWatch emulator), installed pinned into a venv: apt-get install -y python3 python3-venv',
    );
  }
  if (needJava && !runs('java', ['-version'])) {
    missing.push('Java 17+ (runs Kafka): apt-get install -y openjdk-17-jre-headless');
  }
  if (needMaven && !runs('mvn', ['-v'])) {
    missing.push('Maven (fetches the Kafka jars once): apt-get install -y maven');
  }
  return missing;
}
