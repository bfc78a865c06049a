/**
 * The contract API in a shape that survives Electron's contextBridge (pure, unit-tested):
 *   bridgeSafe(api).pause() rejects with { code, message, advice } (plain data) instead of an AppError.
 * contextBridge copies a rejected Error with its message only, so `advice` would be lost on its way to the
 * page; a plain object is copied whole, and the dashboard reads `message` and `advice` from either.
 */
import { type GpuzApi, methodNames } from '../shared/contract';
import { toErrorData } from '../shared/errors';

export function bridgeSafe(api: GpuzApi): GpuzApi {
  const calls = api as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
  const safe: Record<string, unknown> = {};
  for (const name of methodNames) {
    safe[name] = (input?: unknown) =>
      calls[name]!(input).catch((error: unknown) => Promise.reject(toErrorData(error)));
  }
  safe.on = api.on.bind(api);
  return safe as unknown as GpuzApi;
}
