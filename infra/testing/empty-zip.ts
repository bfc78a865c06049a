/**
 * A tiny valid zip (an empty archive: just the 22-byte end-of-central-directory record) in a temp folder,
 * standing in for the processor bundle in synth tests.
 *   writeEmptyZip() → { path: '/tmp/gpuz-zip-…/bundle.zip', sha256Base64: 'tEV…=' }
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function writeEmptyZip(): { path: string; sha256Base64: string } {
  const bytes = Buffer.alloc(22);
  bytes.writeUInt32LE(0x06054b50, 0);
  const path = join(mkdtempSync(join(tmpdir(), 'gpuz-zip-')), 'bundle.zip');
  writeFileSync(path, bytes);
  return { path, sha256Base64: createHash('sha256').update(bytes).digest('base64') };
}
