import { type GpuzApi, methodNames } from '../shared/contract';
import { AppError } from '../shared/errors';
import { bridgeSafe } from './bridge-safe';

function fakeApi(): GpuzApi {
  const api: Record<string, unknown> = {};
  for (const name of methodNames) api[name] = async (input?: unknown) => ({ name, input });
  api.getStatus = async () => {
    throw new AppError('STORE_DENIED', 'S3 refused the upload.', 'Check the profile in Settings.');
  };
  api.getLive = async () => {
    throw new TypeError('boom');
  };
  api.on = (event: string, listener: (payload: unknown) => void) => {
    listener({ event });
    return () => undefined;
  };
  return api as unknown as GpuzApi;
}

describe('bridge-safe API', () => {
  it('passes every method and event through', async () => {
    const api = bridgeSafe(fakeApi()) as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    expect(Object.keys(api).sort()).toEqual([...methodNames, 'on'].sort());
    await expect(api.retry!({ batchId: 'b1' })).resolves.toEqual({ name: 'retry', input: { batchId: 'b1' } });
    const seen: unknown[] = [];
    bridgeSafe(fakeApi()).on('status', (payload) => seen.push(payload));
    expect(seen).toEqual([{ event: 'status' }]);
  });

  it('rejects with plain error data that structured cloning keeps whole (code, message, advice)', async () => {
    const api = bridgeSafe(fakeApi());
    const error = await api.getStatus().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(Error);
    expect(structuredClone(error)).toEqual({
      code: 'STORE_DENIED',
      message: 'S3 refused the upload.',
      advice: 'Check the profile in Settings.',
    });
    await expect(api.getLive()).rejects.toEqual({ code: 'UNEXPECTED', message: 'boom' });
  });
});
