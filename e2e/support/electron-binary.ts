/** The one lookup of the Electron executable (shared with `npm start`); see scripts/electron-binary.mjs. */
export { findElectronBinary, REPO_ROOT } from '../../scripts/electron-binary.mjs';
