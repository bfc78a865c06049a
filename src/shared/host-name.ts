/**
 * A PC's name as the host its objects are stored under, and back to the name for people to read. A key segment is
 * `[a-z0-9._-]` (keys.ts); a name in another script is kept apart by writing it as DNS does, in Punycode (RFC 3492,
 * the `xn--` form of an internationalised host name), so two PCs named in Cyrillic, Greek or Kanji no longer meet
 * under one `unknown-host`:
 *
 *   hostFromName('DESKTOP-7F3K2QA') → 'desktop-7f3k2qa'      (a name in a–z is what it always was)
 *   hostFromName('Jürgen-PC')       → 'xn--jrgen-pc-65a'     (was 'j-rgen-pc')
 *   hostFromName('ИГРОВОЙ-ПК')      → 'xn----ctbcthhyble'    (was 'unknown-host', as every name in Cyrillic)
 *   hostLabel('xn----ctbcthhyble')  → 'игровой-пк'           (what the views and messages show)
 *   hostFromInput('игровой-пк')     → 'xn----ctbcthhyble'    (the Settings form's Host name, as typed)
 *   hostFromInput('Gaming PC')      → null                   (refused, as before: a space, upper case)
 *
 * A name whose Punycode form would not fit 63 characters keeps its letters in a–z and a short hash of the whole.
 */
import punycode from 'punycode/punycode.js';
import { isValidHost, normaliseHost } from './keys';

const MAX_HOST = 63;
const ACE_PREFIX = 'xn--';
const ASCII = /^\p{ASCII}*$/u;
/**
 * What a host may not hold: ASCII beyond `[a-z0-9._-]`, and beyond ASCII whatever is not a letter, mark, number or
 * symbol (spaces, punctuation, controls). What is left beyond ASCII goes to the Punycode step.
 */
const NOT_KEPT = /(?:[^a-z0-9._\-\P{ASCII}]|[^\p{ASCII}\p{L}\p{M}\p{N}\p{S}])+/gu;

/** The name as one case and composition (NFKC: `ｐｃ` is `pc`), with what a host may not hold made dashes. */
function cleanName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(NOT_KEPT, '-');
}

/** This PC's name (or one a person gave) as the host of its objects. */
export function hostFromName(name: string): string {
  const cleaned = cleanName(name).replace(/^[-._]+/, '');
  if (ASCII.test(cleaned)) return normaliseHost(cleaned);
  const ace = ACE_PREFIX + punycode.encode(cleaned);
  if (ace.length <= MAX_HOST && isValidHost(ace)) return ace;
  const hash = fnv1a(cleaned).toString(16).padStart(8, '0');
  const letters = normaliseHost(cleaned.replace(/\P{ASCII}+/gu, '-')).replace(/^unknown-host$/, 'pc');
  return `${letters.slice(0, MAX_HOST - hash.length - 1)}-${hash}`;
}

/** A host as people read it: the name in its own script for an `xn--` host this app wrote, else the host. */
export function hostLabel(host: string): string {
  if (!host.startsWith(ACE_PREFIX)) return host;
  try {
    const name = punycode.decode(host.slice(ACE_PREFIX.length));
    return !ASCII.test(name) && hostFromName(name) === host ? name : host;
  } catch {
    return host;
  }
}

/**
 * A Host name typed in Settings → the host to save, or null when it is not one: a valid host as it is, or a name
 * with letters beyond a–z (any case of those) that is otherwise a valid host. Upper-case a–z, spaces and other
 * punctuation stay refused, as before.
 */
export function hostFromInput(input: string): string | null {
  if (isValidHost(input)) return input;
  if (ASCII.test(input) || /[A-Z]/.test(input)) return null;
  const name = input.normalize('NFKC').toLowerCase();
  if (cleanName(input) !== name || /^[-._]/.test(name)) return null;
  const host = hostFromName(name);
  return host.startsWith(ACE_PREFIX) ? host : null;
}

/**
 * Hosts in a sentence, as people read them, the stored form beside a name in another script:
 *   hostsText(['gaming-pc', 'xn----ctbcthhyble']) → 'gaming-pc and игровой-пк (xn----ctbcthhyble)'
 *   quotedHosts(['gamign-pc', 'laptop'], 'or')    → '“gamign-pc” or “laptop”'
 */
export function hostsText(hosts: readonly string[]): string {
  const named = hosts.map((host) => {
    const label = hostLabel(host);
    return label === host ? host : `${label} (${host})`;
  });
  return named.length < 2 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

export function quotedHosts(hosts: readonly string[], conjunction: 'and' | 'or'): string {
  return hosts.map((host) => `“${hostLabel(host)}”`).join(` ${conjunction} `);
}

/** FNV-1a over UTF-16 code units: a short stable tag, not a security hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
