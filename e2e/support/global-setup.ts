/** `npm test` builds first; a direct `npx playwright test` builds the dashboard here if it is missing. */
import { ensureRendererBuilt } from './build-renderer';

export default async function globalSetup(): Promise<void> {
  await ensureRendererBuilt();
}
