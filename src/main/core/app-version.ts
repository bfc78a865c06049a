declare const __APP_VERSION__: string;

/**
 * This build's version, baked in by the bundlers (esbuild for the CLI, electron-vite for the tray app) as
 * `__APP_VERSION__`; '0.0.0-dev' when run from sources (tests, tsx). It goes into every raw object's metadata
 * (`agent-version`) and `gpuz-cloud --version`.
 */
export const appVersion: string = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '0.0.0-dev';
