/**
 * What may be moved (not copied) to another thread: a view's memory only when the view covers all of it — a small
 * Buffer shares Node's 8 KiB pool with other Buffers, and moving it would empty theirs.
 *   ownedBuffers(Buffer.alloc(8 << 20)) → [its ArrayBuffer]      ownedBuffers(Buffer.from('x')) → []
 */
export function ownedBuffers(view: Uint8Array): ArrayBuffer[] {
  const { buffer } = view;
  return buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength
    ? [buffer]
    : [];
}

/**
 * Frees a view's memory at once when the view covers all of it (as ownedBuffers; a pool slice is left alone). V8
 * frees a dead byte array only at a full collection, which its small heaps reach only after ≈ 64 MB of them:
 *   release(batchBytes) → batchBytes.byteLength 0, its memory gone (the caller must hold no other view of it)
 * A 100 MB backfill's peak RSS: 198–199 → 178–189 MB with the processing thread releasing each batch (3 pairs).
 */
export function release(view: Uint8Array): void {
  const [buffer] = ownedBuffers(view);
  // ArrayBuffer.prototype.transfer (ES2024, Node 21+): detaches `buffer`; the new buffer of length 0 owns nothing.
  (buffer as (ArrayBuffer & { transfer?(length: number): ArrayBuffer }) | undefined)?.transfer?.(0);
}

/**
 * Moving a buffer detaches it, and the first detach in a thread tells V8 that any byte array may now be detached:
 * it throws away the optimised code of every function that reads bytes (the parser, the encoder, Buffer.indexOf…)
 * and compiles it again (≈ 30 functions in each thread, mid-backfill, `--trace-deopt`). Detaching one 8-byte buffer
 * as this module loads, in the main thread and in the processing thread (both import it), makes that happen before
 * anything is compiled: 168 → 139 optimising compiles per 100 MB backfill (bench/backfill.ts's file, `--trace-opt`).
 */
const detached = new ArrayBuffer(8);
structuredClone(detached, { transfer: [detached] });
