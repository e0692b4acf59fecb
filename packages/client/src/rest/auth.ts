// The Authorization header for the configured credentials. A token file is re-read at most
// once a minute, as client-go's cached token source does, so rotated tokens are picked up.

import { readFile } from 'node:fs/promises';
import type { AuthConfig } from './config.js';

const tokenFileTtlMs = 60_000;

export class Authenticator {
  private cached: { token: string; at: number } | undefined;

  constructor(private readonly auth: AuthConfig | undefined, private readonly now: () => number = Date.now) {}

  async header(): Promise<string | undefined> {
    const a = this.auth;
    if (a === undefined) return undefined;
    if (a.token !== undefined && a.token !== '') return `Bearer ${a.token}`;
    if (a.tokenFile !== undefined && a.tokenFile !== '') return `Bearer ${await this.fileToken(a.tokenFile)}`;
    if (a.username !== undefined && a.username !== '') {
      return `Basic ${Buffer.from(`${a.username}:${a.password ?? ''}`).toString('base64')}`;
    }
    return undefined;
  }

  private async fileToken(path: string): Promise<string> {
    const now = this.now();
    if (this.cached !== undefined && now - this.cached.at < tokenFileTtlMs) return this.cached.token;
    try {
      const token = (await readFile(path, 'utf8')).trim();
      this.cached = { token, at: now };
      return token;
    } catch (e) {
      // Keep using the last token we had rather than failing every call while the file is replaced.
      if (this.cached !== undefined) return this.cached.token;
      throw new Error(`cannot read token file ${path}: ${(e as Error).message}`);
    }
  }
}
