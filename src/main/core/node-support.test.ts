import { nodeVersionCheck, quietSdkNodeWarning } from './node-support';

describe('node-support', () => {
  it('passes Node 22.12 and newer, warns below with what to install', () => {
    expect(nodeVersionCheck('v22.12.0').status).toBe('pass');
    expect(nodeVersionCheck('v24.1.0').status).toBe('pass');
    const old = nodeVersionCheck('v20.20.2');
    expect(old).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/^Node 20\.20\.2 is older than 22\.12/),
    });
    expect(old.advice).toMatch(/Install Node 22 LTS/);
    expect(nodeVersionCheck('v22.11.0').status).toBe('warn');
  });

  it('sets the variable the AWS SDK reads before it warns', () => {
    const env: NodeJS.ProcessEnv = {};
    quietSdkNodeWarning(env);
    expect(env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe('true');
  });
});
