import { CATCH_UP_END_BYTES, CATCH_UP_START_BYTES, createCatchUp } from './catch-up';

const MB = 1_000_000;

describe('catch-up progress', () => {
  it('is shown from 16 MiB behind until less than 1 MiB is left, and not for a batch waiting its interval', () => {
    const catchUp = createCatchUp();
    expect(catchUp.update({ pendingBytes: 2 * MB, storedBytes: 0, at: 0 })).toBeNull();
    expect(catchUp.update({ pendingBytes: CATCH_UP_START_BYTES - 1, storedBytes: 0, at: 1 })).toBeNull();
    expect(catchUp.update({ pendingBytes: CATCH_UP_START_BYTES, storedBytes: 0, at: 2 })).not.toBeNull();
    // Under the start but over the end: still catching up (no flicker at the threshold).
    expect(catchUp.update({ pendingBytes: 2 * MB, storedBytes: 15 * MB, at: 300 })).not.toBeNull();
    expect(
      catchUp.update({ pendingBytes: CATCH_UP_END_BYTES - 1, storedBytes: 16 * MB, at: 600 }),
    ).toBeNull();
    expect(catchUp.update({ pendingBytes: 2 * MB, storedBytes: 16 * MB, at: 900 })).toBeNull();
  });

  it('counts what was stored since it began, and gives a rate and the time left only after 2 s', () => {
    const catchUp = createCatchUp();
    expect(catchUp.update({ pendingBytes: 300 * MB, storedBytes: 40 * MB, at: 1_000 })).toEqual({
      since: new Date(1_000).toISOString(),
      doneBytes: 0,
      pendingBytes: 300 * MB,
      bytesPerSecond: null,
      etaSeconds: null,
    });
    expect(
      catchUp.update({ pendingBytes: 290 * MB, storedBytes: 50 * MB, at: 2_500 })?.bytesPerSecond,
    ).toBeNull();
    expect(catchUp.update({ pendingBytes: 100 * MB, storedBytes: 240 * MB, at: 11_000 })).toMatchObject({
      doneBytes: 200 * MB,
      bytesPerSecond: 20 * MB,
      etaSeconds: 5,
    });
  });

  it('keeps one sample a quarter second: a thousand status reads in a second give the same rate', () => {
    const catchUp = createCatchUp();
    let last = null;
    for (let at = 0; at <= 3_000; at += 1)
      last = catchUp.update({ pendingBytes: 300 * MB, storedBytes: at * 1_000, at });
    expect(last).toMatchObject({ doneBytes: 3 * MB, bytesPerSecond: MB });
  });

  it('takes the rate over the last 20 s: a store that stopped taking batches shows no time left', () => {
    const catchUp = createCatchUp();
    catchUp.update({ pendingBytes: 300 * MB, storedBytes: 0, at: 0 });
    catchUp.update({ pendingBytes: 100 * MB, storedBytes: 200 * MB, at: 10_000 });
    // Offline from 10 s on: nothing more stored.
    catchUp.update({ pendingBytes: 100 * MB, storedBytes: 200 * MB, at: 20_000 });
    catchUp.update({ pendingBytes: 100 * MB, storedBytes: 200 * MB, at: 30_000 });
    expect(catchUp.update({ pendingBytes: 100 * MB, storedBytes: 200 * MB, at: 40_000 })).toMatchObject({
      doneBytes: 200 * MB,
      bytesPerSecond: 0,
      etaSeconds: null,
    });
  });
});
