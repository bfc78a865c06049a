import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { decideConcurrency, readAccountConcurrency, reservableConcurrency } from './concurrency';

/**
 * An emulated Lambda API answering GetAccountSettings (GET /2016-08-19/account-settings/) with an account's
 * quota, in the shape AWS documents (moto does not implement the call), and GetFunctionConcurrency.
 */
async function emulateAccount(limit: number, unreserved: number, current?: number) {
  const server: Server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url?.startsWith('/2016-08-19/account-settings')) {
      response.end(
        JSON.stringify({
          AccountLimit: {
            TotalCodeSize: 80_530_636_800,
            CodeSizeUnzipped: 262_144_000,
            CodeSizeZipped: 52_428_800,
            ConcurrentExecutions: limit,
            UnreservedConcurrentExecutions: unreserved,
          },
          AccountUsage: { TotalCodeSize: 0, FunctionCount: 0 },
        }),
      );
    } else if (request.url?.includes('/concurrency') && current !== undefined) {
      response.end(JSON.stringify({ ReservedConcurrentExecutions: current }));
    } else {
      response.statusCode = 404;
      response.setHeader('x-amzn-errortype', 'ResourceNotFoundException');
      response.end(JSON.stringify({ message: 'Function not found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    maxAttempts: 1,
  });
  return { lambda, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('reserved concurrency, decided from the account settings', () => {
  it('reserves 2 in an account with a quota of 1,000', async () => {
    // Prepare
    const account = await emulateAccount(1000, 1000);
    // Act
    const settings = await readAccountConcurrency(account.lambda, 'gpuz-cloud-dev-processor');
    await account.close();
    // Assess
    expect(settings).toEqual({ limit: 1000, unreserved: 1000, current: 0 });
    expect(decideConcurrency(settings, 'auto')).toEqual({ value: 2, note: '' });
  });

  it('reserves none in an account with a quota of 10, and says why', async () => {
    const account = await emulateAccount(10, 10);
    const settings = await readAccountConcurrency(account.lambda, 'gpuz-cloud-dev-processor');
    await account.close();
    expect(decideConcurrency(settings, 'auto')).toEqual({
      value: -1,
      note: "This account may run 10 Lambda executions at once and reserve 0 of them: the function reserves none, and the account's quota of 10 caps it instead.",
    });
  });

  it('refuses, before deploying, a number the account cannot reserve', async () => {
    const account = await emulateAccount(10, 10);
    const settings = await readAccountConcurrency(account.lambda, 'fn');
    await account.close();
    expect(() => decideConcurrency(settings, 5)).toThrow(
      expect.objectContaining({ code: 'BAD_CONCURRENCY', advice: expect.stringContaining('Service Quotas') }),
    );
    expect(decideConcurrency(settings, -1)).toEqual({ value: -1, note: '' });
  });

  it('counts what the function reserves already when it is deployed again', async () => {
    const account = await emulateAccount(1000, 998, 2);
    const settings = await readAccountConcurrency(account.lambda, 'fn');
    await account.close();
    expect(settings).toEqual({ limit: 1000, unreserved: 998, current: 2 });
    expect(reservableConcurrency(settings!)).toBe(900);
  });

  it('reserves none when the settings cannot be read (no permission, an emulator without the call)', async () => {
    const lambda = new LambdaClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    const settings = await readAccountConcurrency(lambda, 'fn');
    expect(settings).toBeNull();
    expect(decideConcurrency(settings, 'auto')).toMatchObject({ value: -1 });
    expect(decideConcurrency(settings, 3)).toEqual({ value: 3, note: '' });
  });
});
