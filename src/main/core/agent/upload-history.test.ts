import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UploadRecord } from '../../../shared/agent-status';
import { HISTORY_MAX, lastUploadedHost, openUploadHistory } from './upload-history';

const NOW = () => new Date('2026-12-02T12:00:00Z');

function record(
  batchId: string,
  status: UploadRecord['status'],
  at = '2026-12-02T11:00:00.000Z',
): UploadRecord {
  return {
    batchId,
    key: `raw/pc/2026/12/02/${batchId}.csv.gz`,
    at,
    rows: 10,
    rawBytes: 900,
    compressedBytes: 90,
    durationMs: 12,
    status,
  };
}

describe('upload history', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-history-'));
    path = join(dir, 'uploads.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('survives a restart: newest first, one record per batch, an upload in flight never saved', async () => {
    const { history } = await openUploadHistory(path, NOW);
    history.add(record('a-0-1', 'uploading'));
    history.add(record('a-0-1', 'failed'));
    history.add(record('a-0-1', 'uploaded'));
    history.add(record('a-1-2', 'uploaded'));
    history.add(record('a-2-3', 'uploading'));
    expect(history.records().map((r) => `${r.batchId} ${r.status}`)).toEqual([
      'a-2-3 uploading',
      'a-1-2 uploaded',
      'a-0-1 uploaded',
    ]);
    await history.flush();

    const reopened = await openUploadHistory(path, NOW);
    expect(reopened.notice).toBeNull();
    expect(reopened.history.records().map((r) => `${r.batchId} ${r.status}`)).toEqual([
      'a-1-2 uploaded',
      'a-0-1 uploaded',
    ]);
  });

  it('names the host of the newest uploaded batch; none for no history or a damaged one, which it leaves alone', async () => {
    expect(await lastUploadedHost(path)).toBeNull();
    const failed = { ...record('c-2-3', 'failed'), key: 'raw/other/2026/12/02/c-2-3.csv.gz' };
    writeFileSync(path, JSON.stringify([failed, record('b-1-2', 'uploaded')]));
    expect(await lastUploadedHost(path)).toBe('pc');
    writeFileSync(path, '[{"batchId":');
    expect(await lastUploadedHost(path)).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('[{"batchId":');
  });

  it(`keeps at most ${HISTORY_MAX} records, the newest`, async () => {
    const { history } = await openUploadHistory(path, NOW);
    for (let i = 0; i < HISTORY_MAX + 20; i++) history.add(record(`b-${i}-${i + 1}`, 'uploaded'));
    await history.flush();
    const saved = JSON.parse(readFileSync(path, 'utf8')) as UploadRecord[];
    expect(saved).toHaveLength(HISTORY_MAX);
    expect(saved[0]!.batchId).toBe(`b-${HISTORY_MAX + 19}-${HISTORY_MAX + 20}`);
  });

  it.each([
    ['cut by a power loss', '[{"batchId":"a-0-1","key":"raw/'],
    ['not a list', '{"batchId":"a-0-1"}'],
    ['a record that is no upload', '[{"batchId":"a-0-1","status":"uploaded"}]'],
    ['empty', ''],
  ])('a damaged file (%s) is set aside and the history starts empty, with a notice', async (_, text) => {
    writeFileSync(path, text);
    const { history, notice } = await openUploadHistory(path, NOW);
    expect(history.records()).toEqual([]);
    expect(notice).toMatchObject({ code: 'HISTORY_RESET' });
    expect(notice!.advice).toContain('uploads.json.damaged-20261202T120000Z');
    expect(readdirSync(dir)).toEqual(['uploads.json.damaged-20261202T120000Z']);
  });
});
