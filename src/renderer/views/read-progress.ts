/**
 * A long read's progress as the Sessions and Charts views show it (sessionsProgress, chartsProgress):
 *   isOwnProgress({ query: { from, to }, done: 700, total: 2880 }, { from, to }) → true (this view's call, not done)
 *   readingText({ done: 700, total: 2880 })                                    → 'Reading the stored data… 24 %'
 */

/** The range and host of a read call. */
interface ReadQuery {
  from: number;
  to: number;
  host?: string;
}

/** Whether a progress event is about this view's own call (another page may read other data meanwhile). */
export function isOwnProgress(
  progress: { query: ReadQuery; done: number; total: number },
  query: ReadQuery,
): boolean {
  const { from, to, host } = progress.query;
  return from === query.from && to === query.to && host === query.host && progress.done < progress.total;
}

/** What a view says while a long read goes on. */
export function readingText(progress: { done: number; total: number }): string {
  const percent = progress.total > 0 ? Math.floor((100 * progress.done) / progress.total) : 0;
  return `Reading the stored data… ${percent} %`;
}
