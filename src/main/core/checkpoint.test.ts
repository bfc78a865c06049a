import { emptyCheckpoint, logStored } from './checkpoint';

describe('logStored: whether the store holds some of the log, by the checkpoint and the spool', () => {
  const identity = { fileId: 'ab12', length: 4096, fingerprint: 'f0' };
  const sealedTo = (offset: number, foreign?: string[]) => ({
    ...emptyCheckpoint(),
    identity,
    offset,
    ...(foreign ? { foreign } : {}),
  });
  const batch = (start: number, batchId = `ab12-${start}`, fileId = 'ab12') => ({ fileId, start, batchId });

  it.each([
    ['nothing sealed yet (a first start)', emptyCheckpoint(), [], false],
    ['sealed, the spool empty: every batch stored', sealedTo(9000), [], true],
    [
      'the first batch still waits (uploadedOffset says 0 after it is stored, too)',
      sealedTo(9000),
      [batch(0)],
      false,
    ],
    ['a later batch waits: the first was stored', sealedTo(9000), [batch(4000)], true],
    [
      'a batch of another log waits at 0: it is no claim on this one',
      sealedTo(9000),
      [batch(0, 'cd-0', 'cd')],
      true,
    ],
    [
      'a batch cut for the old target (foreign) at 0: no claim here either',
      sealedTo(9000, ['ab12-0']),
      [batch(0)],
      true,
    ],
  ])('%s', (_name, checkpoint, spooled, expected) => {
    expect(logStored(checkpoint, spooled)).toBe(expected);
  });
});
