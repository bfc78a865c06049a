import { Command } from 'commander';
import { registerCommands } from './index';

describe('registerCommands: only what the arguments need is loaded', () => {
  it.each([
    [['upload', '--file', 'log.txt'], ['upload']],
    [['-V'], []],
    [['--version'], []],
  ])('%j registers %j', async (args, names) => {
    const program = new Command('gpuz-cloud');
    await registerCommands(program, args);
    expect(program.commands.map((c) => c.name())).toEqual(names);
  });

  it('registers every command for --help and for a name it does not know', async () => {
    for (const args of [['--help'], ['uplaod']]) {
      const program = new Command('gpuz-cloud');
      await registerCommands(program, args);
      expect(program.commands.map((c) => c.name())).toContain('deploy');
      expect(program.commands.length).toBeGreaterThan(10);
    }
  });
});
