/**
 * The bar a long read of stored data shows (Sessions, Charts), hidden until its first progress event:
 *   const bar = createReadingBar('chart-progress'); bar.show({ done: 700, total: 2880 }, note)
 *     → the bar at 700 of 2880, the note 'Reading the stored data… 24 %'; bar.element.hidden = true when done
 */
import { h } from '../dom';
import { readingText } from './read-progress';

export function createReadingBar(testId: string) {
  const element = h('progress', {
    'data-testid': testId,
    'aria-label': 'Reading the stored data',
    max: 1,
    value: 0,
    hidden: true,
  });
  return {
    element,
    show(progress: { done: number; total: number }, note: HTMLElement): void {
      element.hidden = false;
      element.max = progress.total;
      element.value = progress.done;
      note.textContent = readingText(progress);
    },
  };
}
