/**
 * What a Windows test file needs: the shared prefix, or the reason to skip, in the describe title.
 *   describe.skipIf(WINE_SKIP !== null)(`parse under Wine${skipNote()}`, () => { const wine = useWine(); … })
 */
import { inject } from 'vitest';
import { openWinePrefix, type WinePrefix } from './wine';

const provided = inject('wine');

export const WINE_SKIP: string | null = 'skip' in provided ? provided.skip : null;

export const skipNote = (): string => (WINE_SKIP ? ` (skipped: ${WINE_SKIP})` : '');

/** The prefix, opened before the file's tests; what a test started is stopped after the file. */
export function useWine(): () => WinePrefix {
  let wine: WinePrefix | undefined;
  beforeAll(async () => {
    if ('root' in provided) wine = await openWinePrefix(provided.root);
  });
  afterAll(async () => {
    await wine?.close();
  });
  return () => {
    if (!wine) throw new Error('no Wine prefix');
    return wine;
  };
}
