/**
 * The user's settings, kept in `{stateDir}/settings.json` and shared by headless mode and Electron:
 *   const store = createSettingsStore({ stateDir, defaults })
 *   await store.load()           → saved settings, or the defaults when nothing was saved yet
 *   await store.save(candidate)  → { ok: true, settings } | { ok: false, errors: [{ field, message }] }
 *                                   (`savedOn`: this PC's name when the candidate has none, as a form's save,
 *                                   so settings copied to another PC are noticed until a person saves them)
 *   const stop = store.watch(() => reload())   called (debounced) when settings.json is replaced or edited,
 *                                               e.g. by `gpuz-cloud deploy` while the tray app runs
 * Writes are atomic (temp file, fsync, rename) so a crash never leaves half a file.
 */
import { watch as watchFolder } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SaveSettingsResult, Settings } from '../../shared/contract';
import { AppError, toError } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import { pathExists } from '../../shared/fs/path-exists';
import { hostFromName } from '../../shared/host-name';
import { normaliseHost } from '../../shared/keys';
import { isObject, validateSettings } from './app/validate-settings';
import { zeroFilled } from './state-file';

export const SETTINGS_FILE = 'settings.json';

const FIX_OR_DELETE = 'Fix or delete the file; deleting it restores the defaults.';

export interface SettingsStore {
  load(): Promise<Settings>;
  save(candidate: unknown): Promise<SaveSettingsResult>;
  /** Calls back after the file changed on disk (this store's own saves included); returns the unsubscribe. */
  watch?(onChange: () => void): () => void;
  /** Whether the file is there (load() gives the defaults when it is not). */
  exists?(): Promise<boolean>;
}

/** An atomic save is a temp-file write plus a rename: one callback for the burst of events it causes. */
const WATCH_DEBOUNCE_MS = 200;

/** How often a fresh install uploads, and `gpuz-cloud upload` and `estimate` without --interval. */
export const DEFAULT_INTERVAL_MINUTES = 60;

/** This PC's name as a host name (the uploads' default host, and where settings are saved: `savedOn`). */
export function thisPcHost(): string {
  return hostFromName(hostname());
}

/**
 * This PC's host as builds before 2026-12-06 wrote it: the same for a name in a–z; a name with other letters lost
 * them (`Jürgen-PC` → `j-rgen-pc`, every Cyrillic name → `unknown-host`). Settings saved then, and a state folder
 * that uploaded then, keep it (host-name.ts).
 */
export function formerPcHost(): string {
  return normaliseHost(hostname());
}

/** Defaults for a fresh install: local store in the state dir, an hour between uploads, gzip. */
export function defaultSettings(stateDir: string, logPath: string): Settings {
  return {
    logPath,
    target: { kind: 'local', dir: join(stateDir, 'store') },
    schedule: { kind: 'interval', minutes: DEFAULT_INTERVAL_MINUTES },
    compression: 'gzip',
    host: thisPcHost(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    // Made on this PC (a file that lacks the field, from before it existed, counts as this PC's too).
    savedOn: thisPcHost(),
  };
}

export function createSettingsStore(options: {
  stateDir: string;
  defaults: Settings;
  /** This PC's name as a host, recorded as `savedOn` at each save (default: the OS host name). */
  machine?: string;
}): SettingsStore {
  const path = join(options.stateDir, SETTINGS_FILE);
  const machine = options.machine ?? thisPcHost();
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        // Only a missing file is a fresh install. One that cannot be read (a folder in its place, no access, a disk
        // error) was taken for one too: a running agent restarted silently on the defaults — another log, another
        // store, the whole default log sent there (lived 2026-12-06).
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return options.defaults;
        throw new AppError(
          'SETTINGS_UNREADABLE',
          `${path} cannot be read (${code ?? toError(error).message}).`,
          'Make it a file this user may read (not a folder, not held by another program); deleting it restores the defaults.',
          { cause: error },
        );
      }
      const zeros = zeroFilled(text);
      if (zeros) throw new AppError('SETTINGS_UNREADABLE', `${path} is damaged: ${zeros}.`, FIX_OR_DELETE);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new AppError('SETTINGS_UNREADABLE', `${path} is not valid JSON.`, FIX_OR_DELETE, {
          cause: error,
        });
      }
      // A field the file lacks (written by an older version, or edited by hand) takes its default, as on a fresh
      // install; a field that is there and wrong is refused. (A file without `logPath` was refused, even with
      // `--file` given, and told a person to fix it in a Settings view that a refused agent never opens.)
      const merged = isObject(parsed) ? { ...options.defaults, ...parsed } : parsed;
      const { settings, errors } = validateSettings(merged);
      if (!settings) {
        const first = errors[0]!;
        throw new AppError(
          'SETTINGS_INVALID',
          `${path}: ${first.field}: ${first.message}`,
          'Fix the value in the Settings view or in the file.',
        );
      }
      return settings;
    },
    async save(candidate) {
      // A form's save (it has no `savedOn`) makes the settings this PC's; a save that carries the loaded settings on
      // (a deploy, `agent --file`, the alert rules) keeps where they were saved: none of those confirms the host.
      const mine =
        isObject(candidate) && candidate.savedOn === undefined
          ? { ...candidate, savedOn: machine }
          : candidate;
      const { settings, errors } = validateSettings(mine);
      if (!settings) return { ok: false, errors };
      await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
      return { ok: true, settings };
    },
    exists: () => pathExists(path),
    watch(onChange) {
      // The folder, not the file: an atomic replace gives the file a new inode, which a file watch loses.
      let timer: NodeJS.Timeout | undefined;
      let watcher: ReturnType<typeof watchFolder>;
      try {
        watcher = watchFolder(options.stateDir, { persistent: false }, (_event, name) => {
          if (name !== null && name !== SETTINGS_FILE) return;
          clearTimeout(timer);
          timer = setTimeout(onChange, WATCH_DEBOUNCE_MS);
        });
      } catch {
        return () => undefined; // no folder yet or no watch support: settings apply on the next start
      }
      watcher.on('error', () => watcher.close());
      return () => {
        clearTimeout(timer);
        watcher.close();
      };
    },
  };
}
