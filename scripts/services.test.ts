import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// scripts/services.mjs as a user runs it, in a private state folder, without starting any server:
// what it reports, which processes it refuses to touch, and what it says when tools are missing.
const SCRIPT = fileURLToPath(new URL('services.mjs', import.meta.url));

function runServices(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('scripts/services.mjs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-services-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports both services stopped (exit 3) in an empty state folder', () => {
    const r = runServices(['status'], { GPUZ_SERVICES_DIR: dir });
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('moto:  stopped');
    expect(r.stdout).toContain('kafka: stopped');
    expect(r.stdout).toContain(`state: ${dir}`);
  });

  it('treats stale pids as stopped and never signals a process that is not its own', async () => {
    const gone = spawnSync('true').pid;
    // A live process whose command line does not carry our marker, as a recycled pid would be.
    const bystander = spawn('sleep', ['30']);
    try {
      const state = {
        moto: { pid: gone, port: 1, endpoint: 'http://127.0.0.1:1' },
        kafka: {
          pid: bystander.pid,
          port: 2,
          brokers: '127.0.0.1:2',
          configFile: join(dir, 'kafka/server.properties'),
        },
      };
      writeFileSync(join(dir, 'state.json'), JSON.stringify(state));

      const status = runServices(['status'], { GPUZ_SERVICES_DIR: dir });
      expect(status.status).toBe(3);
      expect(status.stdout).toContain('kafka: stopped');

      const stop = runServices(['stop'], { GPUZ_SERVICES_DIR: dir });
      expect(stop.status).toBe(0);
      expect(stop.stderr).toContain('Kafka was not running');
      expect(stop.stderr).toContain('moto was not running');
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      expect(runServices(['status'], { GPUZ_SERVICES_DIR: dir }).stdout).not.toContain(String(bystander.pid));
    } finally {
      bystander.kill();
    }
  });

  it('names every missing tool with its install command, and starts nothing', () => {
    // A PATH that holds only node: no moto_server, python3, java or mvn.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    const r = runServices(['start'], {
      GPUZ_SERVICES_DIR: join(dir, 'state'),
      GPUZ_CACHE_DIR: join(dir, 'cache'),
      PATH: bin,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('apt-get install -y python3 python3-venv');
    expect(r.stderr).toContain('apt-get install -y openjdk-17-jre-headless');
    expect(r.stderr).toContain('apt-get install -y maven');
  });

  it('prints its usage and exits 2 on an unknown command', () => {
    const r = runServices(['restart'], { GPUZ_SERVICES_DIR: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: node scripts/services.mjs start|stop|status|env|fetch');
  });
});
