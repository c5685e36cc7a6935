// The real file system through node:fs. Reads and writes are synchronous (a cached pread costs
// a few microseconds); fdatasync runs on the libuv thread pool so it never blocks the event loop.
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { Vfs, VfsFile } from './types.js';

class NodeFile implements VfsFile {
  private fd: number;
  constructor(readonly path: string, create: boolean) {
    this.fd = fs.openSync(path, create ? fs.constants.O_RDWR | fs.constants.O_CREAT : fs.constants.O_RDWR, 0o644);
  }
  size(): number {
    return fs.fstatSync(this.fd).size;
  }
  readSync(target: Uint8Array, position: number): number {
    let done = 0;
    while (done < target.length) {
      const count = fs.readSync(this.fd, target, done, target.length - done, position + done);
      if (count === 0) break;
      done += count;
    }
    return done;
  }
  writeSync(source: Uint8Array, position: number): void {
    let done = 0;
    while (done < source.length) done += fs.writeSync(this.fd, source, done, source.length - done, position + done);
  }
  async write(source: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < source.length) {
      const { bytesWritten } = await new Promise<{ bytesWritten: number }>((resolve, reject) =>
        fs.write(this.fd, source, done, source.length - done, position + done, (error, bytesWritten) =>
          error ? reject(error) : resolve({ bytesWritten }),
        ),
      );
      done += bytesWritten;
    }
  }
  truncateSync(length: number): void {
    fs.ftruncateSync(this.fd, length);
  }
  sync(): Promise<void> {
    return new Promise((resolve, reject) => fs.fdatasync(this.fd, (error) => (error ? reject(error) : resolve())));
  }
  closeSync(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

export class NodeVfs implements Vfs {
  mkdirp(dir: string): void {
    fs.mkdirSync(dir, { recursive: true });
  }
  exists(path: string): boolean {
    return fs.existsSync(path);
  }
  list(dir: string): string[] {
    return fs.readdirSync(dir);
  }
  open(path: string, create: boolean): VfsFile {
    return new NodeFile(path, create);
  }
  remove(path: string): void {
    fs.rmSync(path, { force: true });
  }
  syncDir(dir: string): Promise<void> {
    return new Promise((resolve, reject) => {
      fs.open(dir, 'r', (openError, fd) => {
        if (openError) return reject(openError);
        fs.fsync(fd, (syncError) => fs.close(fd, () => (syncError ? reject(syncError) : resolve())));
      });
    });
  }
}

export function joinPath(dir: string, name: string): string {
  return join(dir, name);
}
