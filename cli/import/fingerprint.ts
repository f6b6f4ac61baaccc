import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

const EDGE_BYTES = 64 * 1024;

/**
 * Identifies a file without reading all of it (the national UPRN file is 2.3 GB): its size, its
 * modification time and a hash of its first and last 64 KiB. A re-run on the same file is then
 * recognised at once, and a resumed import refuses a file that changed underneath it.
 */
export async function fileFingerprint(path: string): Promise<string> {
  const info = await stat(path);
  const handle = await open(path, 'r');
  try {
    const hash = createHash('sha256');
    const head = Buffer.alloc(Math.min(EDGE_BYTES, info.size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (info.size > EDGE_BYTES) {
      const tail = Buffer.alloc(Math.min(EDGE_BYTES, info.size - EDGE_BYTES));
      await handle.read(tail, 0, tail.length, info.size - tail.length);
      hash.update(tail);
    }
    return `${info.size}:${Math.round(info.mtimeMs)}:${hash.digest('hex').slice(0, 32)}`;
  } finally {
    await handle.close();
  }
}
