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
