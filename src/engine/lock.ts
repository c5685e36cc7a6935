// One process per data directory (PostgreSQL's postmaster.pid idea): a second server on the same
// files would corrupt them. The lock file holds the owner's pid; a lock left by a dead process
// (kill -9, power loss) is taken over.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { SqlError, SqlState } from '../util/errors.js';

const lockFileName = 'cambium.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory lock; returns its release function. */
export function lockDataDirectory(dir: string): () => void {
  const path = join(dir, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(path, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(path, 'utf8'), 10);
      // The same process opening twice is its own business; another live process is not.
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
        throw new SqlError(SqlState.objectInUse, `data directory "${dir}" is in use by process ${owner}`, { hint: `Stop that process, or remove ${path} if it is not a Cambium server.` });
      }
      fs.rmSync(path, { force: true });
    }
  }
  throw new SqlError(SqlState.objectInUse, `could not lock data directory "${dir}"`);
}
