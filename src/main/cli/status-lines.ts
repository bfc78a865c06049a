/**
 * What a console agent says as its status changes (`upload --watch`, `agent`): each new notice once, and one line
 * when it starts waiting or needs attention, in the app's own words.
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
    const now =
      (status.state === 'waiting' || status.state === 'error') && status.lastError
        ? `${status.state}: ${line(status.lastError)}`
        : '';
    if (now !== said && now !== '') write(`${now}\n`);
    said = now;
  };
}

/** "message — advice" (the dashboard's advice with `dashboard`, when it has one). */
export function errorLine(error: ErrorData, dashboard = false): string {
  const advice = (dashboard && error.guiAdvice) || error.advice;
  return advice ? `${error.message} — ${advice}` : error.message;
}
