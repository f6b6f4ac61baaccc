import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';

/**
 * PGlite opens a data directory that another process already has open without complaint, and two
 * writers corrupt it (reproduced: two pglite-socket hosts on one directory both start). This lock
 * makes the second `npm start` stop with a clear message instead. A lock left by a process that died
 * (kill -9, power loss) is stale and is taken over.
 */

export class DataDirInUseError extends Error {
  readonly code = 'db.data_dir_in_use';
}

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  hostname: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockDataDir(dir: string): Promise<DataDirLock> {
  await mkdir(dir, { recursive: true });
  const path = `${dir}/smartplace.lock`;
  const content: LockContent = { pid: process.pid, hostname: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(content));
      await handle.sync();
      await handle.close();
      return {
        path,
        release: async () => {
          await unlink(path).catch(() => undefined);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: LockContent | undefined;
    try {
      holder = JSON.parse(await readFile(path, 'utf8')) as LockContent;
    } catch {
      holder = undefined; // half-written by a process that died while taking the lock
    }
    const sameHost = holder?.hostname === content.hostname;
    if (holder && (!sameHost || isAlive(holder.pid))) {
      throw new DataDirInUseError(
        `the data directory ${dir} is in use by process ${holder.pid} on ${holder.hostname} (since ${holder.since}). ` +
          'Stop that Smartplace first, or set DATA_DIR to another directory.',
      );
    }
    await unlink(path).catch(() => undefined);
  }
  throw new DataDirInUseError(`could not lock the data directory ${dir}: another process keeps taking it`);
}
