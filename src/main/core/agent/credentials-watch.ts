import type { Timers } from './config';

/**
 * After the store refused the credentials (an SSO session that ended overnight, a deleted key), a watching agent
 * notices on its own that a person fixed them — `aws sso login`, `aws configure`, in any terminal — and tries again:
 * every `everyMs` it reads what a new client would sign with (a fingerprint, never the keys) and calls `onChange`
 * once that differs from what was refused. `upload --watch` in a terminal has no Resume button: it waited for a
 * restart. Nothing is sent to AWS to find out (the chain reads the environment and the ~/.aws files; an SSO profile
 * asks the SSO portal for role credentials only while its sign-in is valid).
 *
 *   const watch = createCredentialsWatch({ fingerprint: store.credentialsFingerprint, timers, everyMs: 60_000,
 *     onChange: () => retry() })
 *   watch.refused()   // the store refused the credentials: what it would sign with now is what was refused
 *   watch.cancel()    // a person answered (Resume, Upload now), or the agent stops
 *   watch.accepted()  // an upload went through: the next refusal is watched at `everyMs` again
 *
 * A retry refused again (credentials that change at every read but are not accepted) doubles the wait, up to `maxMs`.
 */
export interface CredentialsWatch {
  refused(): void;
  cancel(): void;
  accepted(): void;
}

export function createCredentialsWatch(options: {
  fingerprint: () => Promise<string | null>;
  timers: Timers;
  everyMs: number;
  maxMs: number;
  onChange: () => void;
}): CredentialsWatch {
  const { fingerprint, timers, everyMs, maxMs, onChange } = options;
  /** Bumped at every refusal and cancel: a read begun before it answers nothing. */
  let generation = 0;
  let watching = false;
  let handle: unknown;
  let waitMs = everyMs;
  let retried = false;

  const clear = () => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  };
  const next = (ran: number, refusedWith: string | null) => {
    handle = timers.setTimeout(() => {
      handle = undefined;
      void fingerprint().then((now) => {
        if (ran !== generation) return;
        if (now === null || now === refusedWith) return next(ran, refusedWith);
        watching = false;
        retried = true;
        onChange();
      });
    }, waitMs);
  };

  return {
    refused() {
      if (watching) return; // another batch refused with the same credentials: already watched
      if (retried) waitMs = Math.min(waitMs * 2, maxMs);
      retried = false;
      watching = true;
      generation += 1;
      const ran = generation;
      clear();
      void fingerprint().then((refusedWith) => {
        if (ran === generation) next(ran, refusedWith);
      });
    },
    cancel() {
      watching = false;
      generation += 1;
      clear();
    },
    accepted() {
      waitMs = everyMs;
      retried = false;
    },
  };
}
