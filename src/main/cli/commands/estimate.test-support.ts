import { Command } from 'commander';
import { registerEstimate } from './estimate';

/** `gpuz-cloud estimate --state-dir <stateDir> …args` in this process: what it printed (throws what commander does). */
export async function runEstimate(stateDir: string, args: string[]): Promise<string> {
  const program = new Command('gpuz-cloud').exitOverride();
  registerEstimate(program);
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['node', 'gpuz-cloud', 'estimate', '--state-dir', stateDir, ...args]);
  } finally {
    spy.mockRestore();
  }
  return out;
}
