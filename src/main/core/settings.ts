/**
 * The user's settings, kept in `{stateDir}/settings.json` and shared by headless mode and Electron:
 *   const store = createSettingsStore({ stateDir, defaults })
 *   await store.load()           → saved settings, or the defaults when nothing was saved yet
 *   await store.save(candidate)  → { ok: true, settings } | { ok: false, errors: [{ field, message }] }
 *                                   (`savedOn`: this PC's name when the candidate has none, as a form's save,
 *                                   so settings copied to another PC are noticed until a person saves them)
 *   const stop = store.watch(() => reload())   called (debounced) when settings.json is replaced or edited,
 *                                               e.g. by `gpuz-cloud deploy` while the tray app runs
 *   await store.lastGood()        → { settings, savedAt } the last settings loaded or saved whole, or null
 * Writes are atomic (temp file, fsync, rename) so a crash never leaves half a file. Each load or save that succeeds
 * keeps a copy in settings.last-good.json, so a file later edited by hand into something that cannot be read is not
 * the end of the settings: its refusal names the place in the file and how to put the last good ones back, and a
 * save over a file that cannot be read sets that file aside first (the edit is not lost either).
 */
import { watch as watchFolder } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SaveSettingsResult, Settings } from '../../shared/contract';
import { AppError, toError } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import { pathExists } from '../../shared/fs/path-exists';
import { hostFromName } from '../../shared/host-name';
import { normaliseHost } from '../../shared/keys';
import { isObject, validateSettings } from './app/validate-settings';
import { setAside, zeroFilled } from './state-file';

export const SETTINGS_FILE = 'settings.json';
/** The last settings.json that loaded or saved whole, as the store wrote it. */
export const LAST_GOOD_FILE = 'settings.last-good.json';

/** When no good copy is kept (a folder from before the copy existed): what deleting the file means. */
const FIX_OR_DELETE =
  'Fix the file, or delete it: that restores the defaults (a local folder store), and the log and the store are chosen again.';

/** The last settings that loaded or saved whole, and when they were kept. */
export interface LastGoodSettings {
  settings: Settings;
  savedAt: Date;
}

export interface SettingsStore {
  load(): Promise<Settings>;
  save(candidate: unknown): Promise<SaveSettingsResult>;
  /** Calls back after the file changed on disk (this store's own saves included); returns the unsubscribe. */
  watch?(onChange: () => void): () => void;
  /** Whether the file is there (load() gives the defaults when it is not). */
  exists?(): Promise<boolean>;
  /** The last settings loaded or saved whole (settings.last-good.json), or null. */
  lastGood?(): Promise<LastGoodSettings | null>;
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
  const lastGoodPath = join(options.stateDir, LAST_GOOD_FILE);
  const machine = options.machine ?? thisPcHost();
  /** The copy's text as this store last wrote or read it: an unchanged load writes nothing. */
  let keptText: string | null = null;

  /** Where the good copy is and when it was kept, for a refusal (read only then). */
  async function lastGoodFor(): Promise<RefusalHelp | null> {
    const kept = await readLastGood(lastGoodPath);
    return kept && { stateDir: options.stateDir, savedAt: kept.savedAt };
  }

  /** Best effort: the settings in use are fine without their copy (a read-only drive is said by the agent). */
  async function keepLastGood(settings: Settings): Promise<void> {
    const text = `${JSON.stringify(settings, null, 2)}\n`;
    try {
      keptText ??= await readFile(lastGoodPath, 'utf8').catch(() => '');
      if (text === keptText) return;
      await writeFileAtomic(lastGoodPath, text);
      keptText = text;
    } catch {
      // kept the next time
    }
  }

  return {
    async load() {
      const settings = await read(path, options.defaults, lastGoodFor);
      // A fresh install's defaults (no file: `read` gives them as they are) are not kept: nothing was saved, and a
      // command that only reads (`estimate`, `status`) makes no state folder.
      if (settings !== options.defaults) await keepLastGood(settings);
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
      // A file that cannot be loaded is a person's edit gone wrong, or a disk's damage: kept beside, not overwritten.
      const refused = await read(path, options.defaults, async () => null).then(
        () => false,
        () => true,
      );
      if (refused) await setAside(path).catch(() => undefined);
      await writeFileAtomic(path, `${JSON.stringify(settings, null, 2)}\n`);
      await keepLastGood(settings);
      return { ok: true, settings };
    },
    lastGood: () => readLastGood(lastGoodPath),
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

/** Where the good copy is, for a refusal's advice. */
interface RefusalHelp {
  stateDir: string;
  savedAt: Date;
}

/** What a refused settings.json's advice says: fix it, or put the good copy back (repair, or the Settings view). */
function refusalAdvice(fix: string, help: RefusalHelp | null): { advice: string; gui?: string } {
  if (!help) return { advice: FIX_OR_DELETE };
  const when = help.savedAt.toISOString().slice(0, 16).replace('T', ' ');
  return {
    advice: `${fix}, or run \`gpuz-cloud repair --state-dir "${help.stateDir}"\` to put back the settings last used (kept ${when} UTC in ${LAST_GOOD_FILE}); the damaged file is kept beside.`,
    gui: `The Settings view shows the settings last used (kept ${when} UTC): press Save to put them back and start; the damaged file is kept beside.`,
  };
}

/**
 * settings.json read and checked: the saved settings (the defaults for the fields it lacks), the defaults when there
 * is no file, or a refusal that says what is wrong and where.
 */
async function read(
  path: string,
  defaults: Settings,
  goodCopy: () => Promise<RefusalHelp | null>,
): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // Only a missing file is a fresh install. One that cannot be read (a folder in its place, no access, a disk
    // error) was taken for one too: a running agent restarted silently on the defaults — another log, another
    // store, the whole default log sent there (lived 2026-12-06).
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return defaults;
    const help = await goodCopy();
    throw new AppError(
      'SETTINGS_UNREADABLE',
      `${path} cannot be read (${code ?? toError(error).message}).`,
      help
        ? refusalAdvice('Make it a file this user may read (not a folder, not held by another program)', help)
            .advice
        : 'Make it a file this user may read (not a folder, not held by another program); deleting it restores the defaults.',
      { cause: error },
    );
  }
  const zeros = zeroFilled(text);
  if (zeros) {
    const { advice, gui } = refusalAdvice('Fix the file', await goodCopy());
    throw new AppError('SETTINGS_UNREADABLE', `${path} is damaged: ${zeros}.`, advice, gui ? { gui } : {});
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8 says where: "Expected ',' or '}' after property value in JSON at position 201 (line 10 column 3)".
    const { advice, gui } = refusalAdvice('Fix it there', await goodCopy());
    throw new AppError(
      'SETTINGS_UNREADABLE',
      `${path} is not valid JSON: ${toError(error).message}.`,
      advice,
      {
        cause: error,
        ...(gui ? { gui } : {}),
      },
    );
  }
  // A field the file lacks (written by an older version, or edited by hand) takes its default, as on a fresh
  // install; a field that is there and wrong is refused. (A file without `logPath` was refused, even with
  // `--file` given, and told a person to fix it in a Settings view that a refused agent never opens.)
  const merged = isObject(parsed) ? { ...defaults, ...parsed } : parsed;
  const { settings, errors } = validateSettings(merged);
  if (!settings) {
    const first = errors[0]!;
    const help = await goodCopy();
    const { advice, gui } = help
      ? refusalAdvice('Fix the value in the file', help)
      : { advice: 'Fix the value in the Settings view or in the file.', gui: undefined };
    throw new AppError(
      'SETTINGS_INVALID',
      `${path}: ${first.field}: ${first.message}`,
      advice,
      gui ? { gui } : {},
    );
  }
  return settings;
}

/** settings.last-good.json, when it is there and still valid. */
async function readLastGood(path: string): Promise<LastGoodSettings | null> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const { settings } = validateSettings(JSON.parse(text));
    return settings ? { settings, savedAt: info.mtime } : null;
  } catch {
    return null;
  }
}
