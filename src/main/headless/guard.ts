/**
 * Who may talk to the headless dashboard: only this machine, only through the printed URL.
 *
 *   checkRequest({ host: '127.0.0.1:8123', origin: undefined, token: 't' }, { port: 8123, token: 't', needsToken: true }) → null
 *   Host 'evil.example:8123' → { status: 403, … }   (DNS rebinding: a foreign name resolving to 127.0.0.1)
 *   Origin 'http://evil.example' → { status: 403, … }   (a foreign page calling us from the user's browser)
 *   token missing or wrong → { status: 401, … }
 */
import { timingSafeEqual } from 'node:crypto';

export interface RequestFacts {
  host: string | undefined;
  origin: string | undefined;
  /** The token the request presented (header or query), if any. */
  token: string | undefined;
}

export interface GuardOptions {
  port: number;
  token: string;
  needsToken: boolean;
}

export interface Refusal {
  status: 401 | 403;
  reason: string;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function checkRequest(facts: RequestFacts, options: GuardOptions): Refusal | null {
  const hosts = allowedHosts(options.port);
  if (!facts.host || !hosts.includes(facts.host.toLowerCase())) {
    return { status: 403, reason: 'foreign Host header' };
  }
  if (facts.origin !== undefined && !hosts.some((host) => facts.origin === `http://${host}`)) {
    return { status: 403, reason: 'foreign Origin header' };
  }
  if (options.needsToken && !sameToken(facts.token, options.token)) {
    return { status: 401, reason: 'missing or wrong token' };
  }
  return null;
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
