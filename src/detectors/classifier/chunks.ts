// Document mode cuts untrusted text into overlapping windows and scores each one, so a short
// instruction planted in a long document is judged against a window's worth of text rather than
// diluted by the whole. With stride = window / 2, any span up to half a window lies entirely inside
// some window. Windows are described by arithmetic, never materialised.

export interface ChunkShape {
  window: number;
  stride: number;
}

/** How many windows cover a text of `length` code units (1 for short texts). */
export function chunkCount(length: number, shape: ChunkShape): number {
  if (length <= shape.window) return 1;
  return Math.ceil((length - shape.window) / shape.stride) + 1;
}

/** Start of window `k`; the last window is pulled back so it ends at the text's end. */
export function chunkStart(k: number, length: number, shape: ChunkShape): number {
  if (length <= shape.window) return 0;
  return Math.min(k * shape.stride, length - shape.window);
}

export function chunkEnd(k: number, length: number, shape: ChunkShape): number {
  return Math.min(length, chunkStart(k, length, shape) + shape.window);
}
