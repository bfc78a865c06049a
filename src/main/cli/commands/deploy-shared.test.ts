import { Command } from 'commander';
import { addDeployOptions } from './deploy-shared';

describe('deploy and destroy options', () => {
  const parse = (args: string[]) =>
    addDeployOptions(new Command('deploy').exitOverride()).parse(args, { from: 'user' }).opts();

  it('save the agent settings unless --no-save-settings', () => {
    expect(parse([]).saveSettings).toBe(true);
    expect(parse(['--no-save-settings']).saveSettings).toBe(false);
  });
});
