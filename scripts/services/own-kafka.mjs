// A Kafka broker of a test's own (the shared one serves every other test at once): for a test that freezes or
// stops its broker. Started like the shared one (scripts/services/kafka.mjs), from the cached jars, in `stateDir`.
//   const kafka = await startOwnKafka(dir) → { pid: 4242, brokers: '127.0.0.1:39001' }; … kafka.stop()

import { join } from 'node:path';
import { startKafka } from './kafka.mjs';
import { readKafkaVersion } from './kafka-jars.mjs';
import { resolveKafkaCacheDir } from './paths.mjs';

export async function startOwnKafka(stateDir) {
  const jarsDir = join(resolveKafkaCacheDir(readKafkaVersion()), 'jars');
  const kafka = await startKafka({ jarsDir, stateDir });
  return {
    pid: kafka.pid,
    brokers: kafka.brokers,
    stop() {
      try {
        process.kill(kafka.pid, 'SIGCONT');
        process.kill(kafka.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
}
