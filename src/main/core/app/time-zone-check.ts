import type { ErrorData } from '../../../shared/errors';
import { createOffsetLookup } from '../../../shared/parse';
import { formatDuration } from '../../../shared/time-format';

/**
 * Whether the zone the log is read in (Settings) is still this PC's. GPU-Z writes naive local time; a laptop taken
 * abroad, or Windows' zone corrected, leaves the saved zone behind, and every row GPU-Z then logs in the PC's new
 * time is stored hours off — in the charts, the day documents, the alerts. Said at the agent's start (a running
 * process keeps the zone it started with); the setting is not changed: the log may come from another PC.
 *
 *   zoneNotice('Europe/Berlin', 'America/New_York', now)
 *     → { code: 'TIME_ZONE_DIFFERS', message: "This PC's time zone is America/New_York (UTC−05:00), but …", advice }
 *   zoneNotice('Europe/Berlin', 'Europe/Paris', now) → null   (the same offsets all year)
 */
export function zoneNotice(logZone: string, pcZone: string, now: number): ErrorData | null {
  if (logZone === pcZone) return null;
  let log: (t: number) => number;
  let pc: (t: number) => number;
  try {
    log = createOffsetLookup(logZone);
    pc = createOffsetLookup(pcZone);
  } catch {
    return null; // a zone this system does not know: Settings refuse it with their own message
  }
  // Every other week of the coming year: zones that differ only in name (or only in a past year) say nothing.
  const gaps = Array.from({ length: 27 }, (_, i) =>
    Math.abs(pc(now + i * 14 * DAY_MS) - log(now + i * 14 * DAY_MS)),
  );
  const most = Math.max(...gaps);
  if (most === 0) return null;
  const off = gaps[0] === most ? formatDuration(most) : `up to ${formatDuration(most)}`;
  return {
    code: 'TIME_ZONE_DIFFERS',
    message: `This PC's time zone is ${pcZone} (${utc(pc(now))}), but the log is read as ${logZone} time (${utc(log(now))}), as saved in Settings`,
    advice: `If GPU-Z on this PC writes the log, set "Time zone of the log" in Settings to ${pcZone}: rows logged in this PC's time are otherwise stored ${off} off. Leave it if the log comes from a PC in ${logZone}.`,
  };
}

const DAY_MS = 86_400_000;

/** 3_600_000 → 'UTC+01:00'; -18_000_000 → 'UTC−05:00'; 19_800_000 → 'UTC+05:30'. */
function utc(offsetMs: number): string {
  const minutes = Math.round(Math.abs(offsetMs) / 60_000);
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `UTC${offsetMs < 0 ? '−' : '+'}${hh}:${mm}`;
}
