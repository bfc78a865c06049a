import type { GpuzApi } from '../../shared/contract';
import { h } from '../dom';

/** A view draws itself into `root` and returns a cleanup (unsubscribe, stop timers, destroy charts). */
export type MountView = (root: HTMLElement, api: GpuzApi) => () => void;

/**
 * An error from the API (code, message, advice) in the dashboard's words: the GUI form of the advice when the
 * error carries one (`guiAdvice`: "Settings → Profile …"), else its advice.
 */
export function describeError(error: unknown): { code: string; message: string; advice: string } {
  const data = error as { code?: string; message?: string; advice?: string; guiAdvice?: string };
  return {
    code: data.code ?? 'UNEXPECTED',
    message: data.message ?? String(error),
    advice: data.guiAdvice ?? data.advice ?? '',
  };
}

/** An error as an error looks: the red-edged box, the message in bold, what to do under it; read out at once. */
export function errorBox(
  error: { message: string; advice: string },
  attrs: Record<string, string> = {},
): HTMLElement {
  return h(
    'div',
    { class: 'error-box', role: 'alert', ...attrs },
    h('strong', {}, error.message),
    error.advice ? h('p', { class: 'advice' }, error.advice) : null,
  );
}
