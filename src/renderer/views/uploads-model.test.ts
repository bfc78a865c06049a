import type { UploadRecord } from '../../shared/contract';
import {
  emptyUploads,
  PAGE_SIZE,
  progressLabel,
  retryAnswer,
  uploadsPage,
  withRecord,
  withRecords,
} from './uploads-model';

function record(
  batchId: string,
  at: string,
  status: UploadRecord['status'] = 'uploaded',
  rows = 100,
): UploadRecord {
  return {
    batchId,
    key: `raw/pc/${batchId}.csv.gz`,
    at,
    rows,
    rawBytes: 50_000,
    compressedBytes: 2_500,
    durationMs: 40,
    status,
  };
}

describe('uploads model', () => {
  it('one row per batch, newest first: a pushed record wins over the history read back later', () => {
    let list = emptyUploads();
    list = withRecord(list, record('b', '2026-12-02T12:00:00Z', 'uploaded'));
    list = withRecords(list, [
      record('b', '2026-12-02T11:59:00Z', 'failed'),
      record('a', '2026-12-02T11:00:00Z', 'uploaded', 356),
    ]);
    const page = uploadsPage(list, 1);
    expect(page.rows.map((r) => [r.batchId, r.status])).toEqual([
      ['b', 'uploaded'],
      ['a', 'uploaded'],
    ]);
    expect(page.summary).toBe('2 of 2 batches uploaded, 456 rows.');
    // The agent's counters agree (or count fewer: a stats file set aside): the list's own figures.
    expect(uploadsPage(list, 1, false, { batches: 2, rows: 456 }).summary).toBe(page.summary);
    expect(uploadsPage(list, 1, false, { batches: 1, rows: 100 }).summary).toBe(page.summary);
    // Past the history's 500 batches (a 4.7 GB log backfilled: 560): it said '500 of 500 batches uploaded' beside the
    // Overview's 560. Both now.
    expect(uploadsPage(list, 1, false, { batches: 560, rows: 6_908_719 }).summary).toBe(
      '560 batches uploaded in all, 6,908,719 rows; listed: the newest 2 (2 uploaded, 456 rows).',
    );
    expect(page.rows[0]).toMatchObject({
      rowsText: '100',
      raw: '49 KB',
      compressed: '2.4 KB',
      ratio: '20.0×',
      retry: null,
    });
    // A backfill's 8 MiB batch: its rows written as the summary writes counts (the column said 12337)
    const big = withRecord(emptyUploads(), record('c', '2026-12-02T13:00:00Z', 'uploaded', 12_337));
    expect(uploadsPage(big, 1).rows[0]).toMatchObject({ rows: 12_337, rowsText: '12,337' });
  });

  it('a failed batch offers retry and says why', () => {
    const failed = {
      ...record('c', '2026-12-02T12:00:00Z', 'failed'),
      error: { code: 'BATCH_REJECTED', message: 'refused', advice: 'It stays in the spool.' },
    };
    const [row] = uploadsPage(withRecord(emptyUploads(), failed), 1).rows;
    expect(row).toMatchObject({
      retry: 'Retry',
      error: 'refused',
      errorDetail: 'refused It stays in the spool.',
    });
  });

  it(`pages by ${PAGE_SIZE}: older batches behind "Show older"`, () => {
    const history = Array.from({ length: PAGE_SIZE + 7 }, (_, i) =>
      record(`b${i}`, new Date(Date.UTC(2026, 11, 2, 0, i)).toISOString()),
    );
    const list = withRecords(emptyUploads(), history);
    expect(uploadsPage(list, 1)).toMatchObject({ more: 7, total: PAGE_SIZE + 7 });
    expect(uploadsPage(list, 1).rows[0]!.batchId).toBe(`b${PAGE_SIZE + 6}`);
    expect(uploadsPage(list, 2)).toMatchObject({ more: 0 });
    expect(uploadsPage(list, 2).rows).toHaveLength(PAGE_SIZE + 7);
  });

  it('says when there is nothing yet, and drops the progress bar when a batch is sent', () => {
    expect(uploadsPage(emptyUploads(), 1)).toMatchObject({
      rows: [],
      more: 0,
      summary:
        'No uploads by this agent yet: its first batch goes at the next upload time (or press Upload now on the Overview).',
    });
    // A start without network: offline, nothing spooled, the log not read yet
    expect(uploadsPage(emptyUploads(), 1, true).summary).toBe(
      "No uploads by this agent yet: the store cannot be reached, and the log's rows are read into batches once it answers.",
    );
    const uploading = withRecord(emptyUploads(), record('ab', '2026-12-02T12:00:00Z', 'uploading'));
    expect(progressLabel({ batchId: 'ab', sentBytes: 1024, totalBytes: 4096 }, uploading)).toBe(
      'Uploading ab: 1.0 KB of 4.0 KB',
    );
    expect(progressLabel({ batchId: 'ab', sentBytes: 4096, totalBytes: 4096 }, uploading)).toBeNull();
  });

  describe('a batch whose attempt failed and that waits for the next one (an outage)', () => {
    const retrying: UploadRecord = {
      ...record('ab', '2026-12-05T11:03:30Z', 'retrying'),
      durationMs: 0,
      error: {
        code: 'STORE_UNREACHABLE',
        message: 'S3 cannot be reached',
        advice: 'Check the network connection.',
      },
      retryAt: '2026-12-05T11:04:00Z',
    };
    const list = withRecord(emptyUploads(), retrying);

    it('its row says so with the time of the next try, offers Retry now, and shows no duration', () => {
      const [row] = uploadsPage(list, 1).rows;
      expect(row).toMatchObject({ status: 'retrying', retry: 'Retry now', duration: '—' });
      expect(row!.error).toMatch(/^S3 cannot be reached\. Next try at .+\.$/);
      expect(row!.errorDetail).toMatch(/Check the network connection\.$/);
    });

    it('no progress bar while it waits (it stood at "0 B of 722 B" through a whole outage)', () => {
      expect(progressLabel({ batchId: 'ab', sentBytes: 0, totalBytes: 722 }, list)).toBeNull();
      const again = withRecord(list, { ...retrying, status: 'uploading', at: '2026-12-05T11:04:00Z' });
      expect(progressLabel({ batchId: 'ab', sentBytes: 0, totalBytes: 722 }, again)).toBe(
        'Uploading ab: 0 B of 722 B',
      );
    });

    it("Retry's answer follows the row from the press on, never a record from before it", () => {
      const pressedAt = '2026-12-05T11:03:45Z';
      expect(retryAnswer('ab', list, pressedAt)).toBe('Retry: sending ab…');
      const failedAgain = withRecord(list, { ...retrying, at: '2026-12-05T11:03:46Z' });
      expect(retryAnswer('ab', failedAgain, pressedAt)).toMatch(
        /^Retry: ab still cannot be sent \(S3 cannot be reached\)\. It waits in the spool; next try at .+\.$/,
      );
      const sent = withRecord(list, { ...record('ab', '2026-12-05T11:03:47Z'), durationMs: 40 });
      expect(retryAnswer('ab', sent, pressedAt)).toBe('Retry: ab uploaded.');
    });
  });
});
