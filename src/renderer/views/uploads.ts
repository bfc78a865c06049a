/**
 * Uploads (DOM binder; what it shows is uploads-model.ts): the history of this and earlier runs (time, rows, raw
 * and compressed size, ratio, duration, status), a page at a time with "Show older", the in-flight batch with a
 * progress bar while an attempt is under way, a Retry button on failed batches and Retry now on ones waiting for their
 * next attempt (an outage), whose answer follows the batch's row (retryAnswer).
 */
import { waitsForStore } from '../../shared/agent-state-view';
import type { AgentStatus, UploadProgress } from '../../shared/contract';
import { h, replaceChildren } from '../dom';
import {
  emptyUploads,
  PAGE_SIZE,
  progressLabel,
  retryAnswer,
  type UploadedInAll,
  type UploadRow,
  uploadsPage,
  withRecord,
  withRecords,
} from './uploads-model';
import { describeError, type MountView } from './view';

export const mountUploads: MountView = (root, api) => {
  let list = emptyUploads();
  let pages = 1;
  const body = h('tbody', { 'data-testid': 'uploads-body' });
  const summary = h('p', { class: 'muted', 'data-testid': 'uploads-summary' });
  const olderButton = h(
    'button',
    { type: 'button', 'data-testid': 'uploads-older', hidden: true },
    'Show older',
  );
  const progressBox = h('div', { 'data-testid': 'in-flight', 'aria-live': 'polite' });
  const message = h('p', { class: 'muted', 'aria-live': 'polite', 'data-testid': 'uploads-message' });
  let progress: UploadProgress | null = null;
  /** The agent waits for the store before it reads the log (waitsForStore): the empty list says why (uploadsPage). */
  let unread = false;
  /** What the agent uploaded in all (its counters): the history lists only its newest HISTORY_MAX batches. */
  let inAll: UploadedInAll | undefined;
  const follow = (status: AgentStatus) => {
    unread = waitsForStore(status);
    const { batchesUploaded: batches, rowsUploaded: rows } = status.counters;
    // Rows not counted (an earlier version uploaded some): the list's own figures only.
    inAll = rows === undefined ? undefined : { batches, rows };
  };
  /** The last Retry press: its batch and time, or the press's own failure (not in the spool…). */
  let retried: { batchId: string; at: string; failure: string | null } | null = null;

  function render(): void {
    showProgress();
    if (retried) message.textContent = retried.failure ?? retryAnswer(retried.batchId, list, retried.at);
    const page = uploadsPage(list, pages, unread, inAll);
    summary.textContent = page.summary;
    olderButton.hidden = page.more === 0;
    olderButton.textContent = `Show older (${Math.min(page.more, PAGE_SIZE)} of ${page.more})`;
    if (page.rows.length === 0) {
      replaceChildren(body, h('tr', {}, h('td', { colspan: 8, class: 'muted' }, '—')));
      return;
    }
    replaceChildren(body, ...page.rows.map(rowElement));
  }

  function rowElement(row: UploadRow): HTMLTableRowElement {
    const retry = row.retry
      ? h('button', { type: 'button', 'aria-label': `${row.retry}: batch ${row.batchId}` }, row.retry)
      : null;
    retry?.addEventListener('click', async () => {
      const press = { batchId: row.batchId, at: new Date().toISOString(), failure: null as string | null };
      retried = press;
      render();
      try {
        await api.retry({ batchId: row.batchId });
      } catch (error) {
        const { message: text, advice } = describeError(error);
        press.failure = `Retry failed: ${text} ${advice}`.trim();
      }
      if (retried === press) render();
    });
    return h(
      'tr',
      { 'data-batch': row.batchId, 'data-status': row.status },
      h('td', {}, row.time),
      h('td', { class: 'num', 'data-col': 'rows', 'data-rows': row.rows }, row.rowsText),
      h('td', { class: 'num', 'data-col': 'raw', 'data-bytes': row.rawBytes }, row.raw),
      h('td', { class: 'num', 'data-col': 'compressed', 'data-bytes': row.compressedBytes }, row.compressed),
      h('td', { class: 'num', 'data-col': 'ratio' }, row.ratio),
      h('td', { class: 'num' }, row.duration),
      h(
        'td',
        { class: `status-${row.status}`, title: row.errorDetail },
        row.status,
        row.error ? h('div', { class: 'muted' }, row.error) : null,
      ),
      h('td', {}, retry),
    );
  }

  function showProgress(): void {
    const label = progress && progressLabel(progress, list);
    if (!progress || label === null) {
      progressBox.replaceChildren();
      return;
    }
    replaceChildren(
      progressBox,
      h('label', { for: 'upload-progress' }, label),
      h('progress', { id: 'upload-progress', max: progress.totalBytes, value: progress.sentBytes }),
    );
  }

  olderButton.addEventListener('click', () => {
    pages += 1;
    render();
  });

  replaceChildren(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'uploads-title' },
      h('h2', { id: 'uploads-title' }, 'Uploads'),
      summary,
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
      olderButton,
    ),
  );
  render();
  const offs = [
    api.on('upload', (record) => {
      list = withRecord(list, record);
      render();
    }),
    api.on('progress', (next) => {
      progress = next;
      showProgress();
    }),
    api.on('status', (status) => {
      follow(status);
      render();
    }),
  ];
  api.getStatus().then(
    (status) => {
      follow(status);
      render();
    },
    () => undefined,
  ); // the history's own error is said below
  api.getHistory().then(
    (history) => {
      list = withRecords(list, history);
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
