/**
 * Whether a process with this pid runs, for files that name their owner (the state folder's lock, temp folders):
 *   isAlive(process.pid) → true;   isAlive(pidOfAKilledChild) → false, even before its parent reaps it (Linux)
 */
import { readFileSync } from 'node:fs';

/** Whether a process with this pid runs: a zombie (ended, not yet reaped by its parent) does not (Linux). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return process.platform !== 'linux' || !isZombie(pid);
}

/** /proc/<pid>/stat: "4242 (node) Z 1 …" — the state follows the last ")" (a name may hold one). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // gone meanwhile (then kill said so first) or no /proc: the kill's answer stands
  }
}
