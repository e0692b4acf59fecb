// Hand-written CRI log files for the reader and server tests.
import { appendFileSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

/** A CRI line at second `s` (plus `nanos`) of 2026-01-01 UTC. */
export function cri(s: number, stream: 'stdout' | 'stderr', tag: 'F' | 'P', content: string, nanos = '123456789'): string {
  return `2026-01-01T00:00:${String(s).padStart(2, '0')}.${nanos}Z ${stream} ${tag} ${content}\n`;
}

export function at(s: number): Date {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, s));
}

export function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubelet-logs-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeLog(path: string, ...lines: string[]): string {
  writeFileSync(path, lines.join(''));
  return path;
}

export function appendLog(path: string, ...lines: string[]): void {
  appendFileSync(path, lines.join(''));
}

/** A Writable that keeps what it is given, as text. */
export class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** Whether this process has the file open (the reader holds a handle while it follows). */
export function isOpenHere(path: string): boolean {
  return readdirSync('/proc/self/fd').some((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false; // the fd closed between the listing and the readlink
    }
  });
}
