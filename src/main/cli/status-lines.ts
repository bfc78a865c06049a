/**
 * What a console agent says as its status changes (`upload --watch`, `agent`): each new notice once, one line
 * for each new error (waiting for the log, offline, a full disk…), in the app's own words, and one when an outage ends.
 *
 *   const say = createStatusSayer((text) => process.stderr.write(text));
 *   say(agent.status()); agent.onStatus(say);
 *   → "note: Reading resumes by content at byte 4096, … — …"
 *   → "error: …/checkpoint.json is damaged: it is not JSON (…) — Run `gpuz-cloud repair …`"
 *
 * `dashboard`: the advice for someone who acts in the dashboard (`gpuz-cloud agent`), where it differs.
 */
import type { AgentStatus } from '../../shared/agent-status';
import type { ErrorData } from '../../shared/errors';
import { CREDENTIAL_CODES, OUTAGE_CODES } from '../core/store/s3-errors';

export function createStatusSayer(
  write: (text: string) => void,
  options: { dashboard?: boolean } = {},
): (status: AgentStatus) => void {
  const line = (error: ErrorData) => errorLine(error, options.dashboard === true);
  let said = '';
  let noted = 0;
  return (status) => {
    const notices = status.notices ?? [];
    for (const notice of notices.slice(noted)) write(`note: ${line(notice)}\n`);
    noted = notices.length;
    // Every error, as the dashboard's badge turns amber for every one (a full state disk leaves the agent watching),
    // once: the same error under another state (watching, then uploading) is not said again. An outage is said once
    // per cause and its end too: its attempts (every ≤ 30 s) differ only by the batch and the wait.
    const error = status.lastError;
    const outage = error !== null && (status.state === 'offline' || OUTAGE_CODES.has(error.code));
    const now = !error ? '' : outage ? `outage ${error.code}` : line(error);
    if (!error && said.startsWith('outage ')) write(BACK_ONLINE);
    if (error && now !== said) {
      write(`${status.state}: ${line(error)}\n`);
      // Stopped for good (a refusal a wait does not heal): the dashboard has "Upload now"; a terminal has a restart.
      // Not when another agent took the folder over: `upload --watch` ends by itself then, having said why.
      if (status.state === 'error' && options.dashboard !== true && error.code !== 'AGENT_LOCK_LOST')
        write(`${CREDENTIAL_CODES.has(error.code) ? WAITING_FOR_CREDENTIALS : STOPPED_IN_A_TERMINAL}\n`);
    }
    said = now;
  };
}

/** Said when an outage ends: the store took a batch again. */
export const BACK_ONLINE =
  'online: the store answers again; the batches that waited in the spool are sent.\n';

/** What stops uploads in a terminal until a person acts, and how they act there (no "Upload now" button). */
export const STOPPED_IN_A_TERMINAL =
  'Uploads are stopped until this command starts again: once that is fixed, press Ctrl+C (what is complete is sealed into the spool) and run it again.';

/** A refusal of the credentials: the agent tries again by itself once they change (agent/credentials-watch.ts). */
export const WAITING_FOR_CREDENTIALS =
  'Uploads are stopped until the credentials change: once you sign in again or fix the key (in any terminal), this command sends by itself within a minute; no restart needed.';

/** "message — advice" (the dashboard's advice with `dashboard`, when it has one). */
export function errorLine(error: ErrorData, dashboard = false): string {
  const advice = (dashboard && error.guiAdvice) || error.advice;
  return advice ? `${error.message} — ${advice}` : error.message;
}
