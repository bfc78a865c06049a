// Module resolve hook for the main-bundle smoke test: `electron` → fake-electron.mjs (no binary involved).
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') {
    return { url: new URL('./fake-electron.mjs', import.meta.url).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
