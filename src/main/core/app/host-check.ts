/**
 * Whether the settings were saved on this PC. settings.json keeps the host name the uploads go under (by default the
 * PC's own name); copied to another PC — a new PC set up from a backup, the state folder carried over — the second
 * PC uploads under the first one's name, and the charts and sessions of that host then mix the two PCs' readings
 * (rows of the same minutes from both). Said at the agent's start; the setting is not changed: the same PC renamed
 * keeps its host by saving the Settings form once (the store records `savedOn` at a form's save).
 *
 *   hostNotice({ host: 'old-pc', savedOn: 'old-pc' }, 'new-pc')
 *     → { code: 'HOST_FROM_OTHER_PC', message: 'These settings were saved on the PC named “old-pc”; …', advice }
 *   hostNotice({ host: 'gaming-pc', savedOn: 'new-pc' }, 'new-pc') → null   (saved here)
 *   hostNotice({ host: 'new-pc', savedOn: 'old-pc' }, 'new-pc')    → null   (uploads under this PC's name)
 *   hostNotice({ host: 'old-pc' }, 'new-pc')                       → null   (saved before `savedOn` existed)
 *   hostNotice({ host: 'j-rgen-pc', savedOn: 'j-rgen-pc' }, 'xn--jrgen-pc-65a', 'j-rgen-pc') → null
 *     (this PC's name as earlier builds wrote it: settings.ts formerPcHost)
 * Names are shown as people read them (`xn--jrgen-pc-65a` as “jürgen-pc”: host-name.ts).
 */
import { join } from 'node:path';
import type { Settings } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';
import { hostLabel } from '../../../shared/host-name';
import { lastUploadedHost } from '../agent/upload-history';

export function hostNotice(
  settings: Pick<Settings, 'host' | 'savedOn'>,
  machine: string,
  formerly: string = machine,
): ErrorData | null {
  const { host, savedOn } = settings;
  const here = (name: string | undefined) => name === machine || name === formerly;
  if (savedOn === undefined || here(savedOn) || here(host)) return null;
  const [was, is, as] = [hostLabel(savedOn), hostLabel(machine), hostLabel(host)];
  return {
    code: 'HOST_FROM_OTHER_PC',
    message: `These settings were saved on the PC named “${was}”; this PC is “${is}” and uploads as “${as}”`,
    advice: `If this is another PC, set Settings → Host name to ${is}: two PCs under one name mix their readings in the charts and sessions. If it is the same PC renamed, save the settings once to keep “${as}”.`,
  };
}

/**
 * The host a CLI upload without --host goes under (it has no settings.json), and a note when that is not the host its
 * state folder last uploaded under:
 *   - this PC's name (`now`), the usual case;
 *   - this PC's name as earlier builds wrote it (`former`: settings.ts formerPcHost), when the folder's last upload
 *     went under it — an update must not split one PC's data between two hosts (`j-rgen-pc`, `unknown-host`);
 *   - `now` with a note when the folder last uploaded under another name: the PC was renamed (the charts then list
 *     both names) or the folder was copied from another PC — the same question the app asks (hostNotice).
 *   await uploadHostOf('/state', { now: 'gamingrig', former: 'gamingrig' })
 *     → { host: 'gamingrig', notice: { code: 'HOST_CHANGED', message: 'This state folder last uploaded as
 *         “desktop-7f3k2qa”; …', advice: '… pass --host desktop-7f3k2qa …' } }
 * The app takes the same host for its first-run defaults (compose.ts) and says the note until its settings are saved,
 * with the advice worded for its form (`keepBy: 'app'`: "set Settings → Host name to desktop-7f3k2qa and save").
 */
export async function uploadHostOf(
  stateDir: string,
  names: { now: string; former: string },
  keepBy: 'cli' | 'app' = 'cli',
): Promise<{ host: string; notice: ErrorData | null }> {
  const last = await lastUploadedHost(join(stateDir, 'uploads.json'));
  if (last === null || last === names.now) return { host: names.now, notice: null };
  if (last === names.former) return { host: names.former, notice: null };
  const [was, is] = [hostLabel(last), hostLabel(names.now)];
  return {
    host: names.now,
    notice: {
      code: 'HOST_CHANGED',
      message: `This state folder last uploaded as “${was}”; this PC is named “${is}”, and the uploads go under “${is}” now`,
      advice: `If this is the same PC renamed, ${keepBy === 'cli' ? `pass --host ${was}` : `set Settings → Host name to ${was} and save`} to go on under the earlier name (else the charts list both). If the folder was copied from another PC, nothing is to be done.`,
    },
  };
}
