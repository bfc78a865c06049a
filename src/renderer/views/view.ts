import type { GpuzApi } from '../../shared/contract';

/** A view draws itself into `root` and returns a cleanup (unsubscribe, stop timers, destroy charts). */
export type MountView = (root: HTMLElement, api: GpuzApi) => () => void;

/** Shows an error from the API (code, message, advice) where the view can see it. */
export function describeError(error: unknown): { code: string; message: string; advice: string } {
  const data = error as { code?: string; message?: string; advice?: string };
  return {
    code: data.code ?? 'UNEXPECTED',
    message: data.message ?? String(error),
    advice: data.advice ?? '',
  };
}
