import { ownedBuffers, release } from './transfer';

describe('transfer', () => {
  it('moves and releases only a view that covers all of its memory', () => {
    // Prepare
    const own = Buffer.alloc(64 << 10, 1);
    const pooled = Buffer.from('2024-04-20 13:02:09 , 210.0 ,');
    const neighbour = Buffer.from('kept');

    // Act
    release(own);
    release(pooled);

    // Assess
    expect(own.byteLength).toBe(0);
    expect(pooled.toString()).toBe('2024-04-20 13:02:09 , 210.0 ,');
    expect(neighbour.toString()).toBe('kept');
    expect(ownedBuffers(pooled)).toEqual([]);
    expect(ownedBuffers(Buffer.alloc(8 << 20))).toHaveLength(1);
  });
});
