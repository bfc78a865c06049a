/**
 * Uploads: history (time, rows, raw and compressed size, ratio, duration, status), the in-flight batch
 * with a progress bar, and a retry button on failed batches.
 */
import type { UploadProgress, UploadRecord } from '../../shared/contract';
import { h, replaceChildren } from '../dom';
import { formatBytes, formatDuration, formatTime } from '../format';
import { describeError, type MountView } from './view';

export const mountUploads: MountView = (root, api) => {
  const records = new Map<string, UploadRecord>();
  const body = h('tbody', { 'data-testid': 'uploads-body' });
  const progressBox = h('div', { 'data-testid': 'in-flight', 'aria-live': 'polite' });
  const message = h('p', { class: 'muted', 'aria-live': 'polite' });

  function render(): void {
    const sorted = [...records.values()].sort((a, b) => b.at.localeCompare(a.at));
    if (sorted.length === 0) {
      replaceChildren(body, h('tr', {}, h('td', { colspan: 8, class: 'muted' }, 'No uploads yet.')));
      return;
    }
    replaceChildren(body, ...sorted.map(row));
  }

  function row(record: UploadRecord): HTMLTableRowElement {
    const ratio = record.compressedBytes > 0 ? record.rawBytes / record.compressedBytes : null;
    const retry =
      record.status === 'failed'
        ? h('button', { type: 'button', 'aria-label': `Retry batch ${record.batchId}` }, 'Retry')
        : null;
    retry?.addEventListener('click', async () => {
      message.textContent = `Retrying ${record.batchId}…`;
      try {
        await api.retry({ batchId: record.batchId });
        message.textContent = `Retry of ${record.batchId} started.`;
      } catch (error) {
        const { message: text, advice } = describeError(error);
        message.textContent = `Retry failed: ${text} ${advice}`;
      }
    });
    return h(
      'tr',
      { 'data-batch': record.batchId, 'data-status': record.status },
      h('td', {}, formatTime(record.at)),
      h('td', { class: 'num', 'data-col': 'rows' }, record.rows),
      h(
        'td',
        { class: 'num', 'data-col': 'raw', 'data-bytes': record.rawBytes },
        formatBytes(record.rawBytes),
      ),
      h(
        'td',
        { class: 'num', 'data-col': 'compressed', 'data-bytes': record.compressedBytes },
        formatBytes(record.compressedBytes),
      ),
      h('td', { class: 'num', 'data-col': 'ratio' }, ratio ? `${ratio.toFixed(1)}×` : '—'),
      h('td', { class: 'num' }, formatDuration(record.durationMs)),
      h(
        'td',
        {
          class: `status-${record.status}`,
          title: record.error ? `${record.error.message} ${record.error.advice ?? ''}` : '',
        },
        record.status,
        record.error ? h('div', { class: 'muted' }, record.error.message) : null,
      ),
      h('td', {}, retry),
    );
  }

  function showProgress(progress: UploadProgress): void {
    const done = progress.sentBytes >= progress.totalBytes;
    if (done) {
      progressBox.replaceChildren();
      return;
    }
    replaceChildren(
      progressBox,
      h(
        'label',
        { for: 'upload-progress' },
        `Uploading ${progress.batchId}: ${formatBytes(progress.sentBytes)} of ${formatBytes(progress.totalBytes)}`,
      ),
      h('progress', { id: 'upload-progress', max: progress.totalBytes, value: progress.sentBytes }),
    );
  }

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'uploads-title' },
      h('h2', { id: 'uploads-title' }, 'Uploads'),
      progressBox,
      message,
      h(
        'table',
        { 'data-testid': 'uploads' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Time'),
            h('th', { scope: 'col', class: 'num' }, 'Rows'),
            h('th', { scope: 'col', class: 'num' }, 'Raw'),
            h('th', { scope: 'col', class: 'num' }, 'Compressed'),
            h('th', { scope: 'col', class: 'num' }, 'Ratio'),
            h('th', { scope: 'col', class: 'num' }, 'Duration'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, h('span', { class: 'muted' }, 'Action')),
          ),
        ),
        body,
      ),
    ),
  );
  render();
  const offs = [
    api.on('upload', (record) => {
      records.set(record.batchId, record);
      render();
    }),
    api.on('progress', showProgress),
  ];
  api.getHistory().then(
    (history) => {
      for (const record of history) if (!records.has(record.batchId)) records.set(record.batchId, record);
      render();
    },
    (error: unknown) => {
      message.textContent = describeError(error).message;
    },
  );
  return () => {
    for (const off of offs) off();
  };
};
