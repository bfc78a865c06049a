/**
 * The reply envelope both transports carry, so an error arrives as data with advice:
 *   await callHandler(handlers, 'getStatus', undefined) → { ok: true, value: status }
 *   a handler that throws AppError('X', 'msg', 'advice') → { ok: false, error: { code: 'X', message, advice } }
 *   unwrapReply({ ok: false, error }) → throws AppError(code, message, advice)
 */
import type { ContractHandlers, MethodInput, MethodName, MethodOutput, Reply } from '../contract';
import { AppError, toErrorData } from '../errors';

export async function callHandler<M extends MethodName>(
  handlers: ContractHandlers,
  name: M,
  input: MethodInput<M>,
): Promise<Reply<MethodOutput<M>>> {
  try {
    // The mapped type loses the link between M and its handler; the call is still checked at the edges.
    const handler = handlers[name] as (input: MethodInput<M>) => Promise<MethodOutput<M>>;
    return { ok: true, value: await handler(input) };
  } catch (error) {
    return { ok: false, error: toErrorData(error) };
  }
}

export function unwrapReply<O>(reply: Reply<O>): O {
  if (reply.ok) return reply.value;
  throw AppError.fromData(reply.error);
}

/** Checks the shape of an envelope that came over a wire (JSON or structured clone). */
export function isReply(value: unknown): value is Reply<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const ok = (value as { ok: unknown }).ok;
  if (ok === true) return 'value' in value;
  if (ok !== false || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}
