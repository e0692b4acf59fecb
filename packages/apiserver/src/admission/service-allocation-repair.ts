// The repair loop for Service cluster IPs and node ports (upstream's repair controllers): the
// claims in etcd must match the Services. A claim no Service uses (left by an API server that
// died between claiming and writing, or whose release failed) is released once it has been seen
// unused, unchanged, on two passes one interval apart: an update that claimed it and has not
// written its Service yet finishes well within an interval. A Service's address or port with no
// claim (state restored from a backup, say) is claimed again; one claimed by another Service is
// a duplicate, logged.

import type { ResourceStore } from '../storage/interface.js';
import type { Claims } from './claims.js';
import { claimPrefixes, ownerOf, type ServiceAllocator } from './service-allocation.js';

type Logger = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

export interface RepairResult {
  released: string[];
  reclaimed: string[];
  duplicates: string[];
}

export class ServiceAllocationRepair {
  /** Unused claims seen on the last pass: key -> `owner@revision`. */
  private suspects = new Map<string, string>();

  constructor(
    private readonly claims: Claims,
    private readonly services: ResourceStore,
    private readonly allocator: ServiceAllocator,
    private readonly logger?: Logger,
  ) {}

  /** One pass. Claims are read before Services, so a claim's Service write is either seen or still to come. */
  async runOnce(): Promise<RepairResult> {
    const claimed = (await Promise.all(claimPrefixes.map((p) => this.claims.list(p)))).flat();
    const { items } = await this.services.list(undefined, {});
    // key -> the Services (owners) whose current version uses it.
    const wanted = new Map<string, string[]>();
    for (const svc of items) for (const key of this.allocator.held(svc)) wanted.set(key, [...(wanted.get(key) ?? []), ownerOf(svc)]);

    const result: RepairResult = { released: [], reclaimed: [], duplicates: [] };
    const suspects = new Map<string, string>();
    for (const c of claimed) {
      if (wanted.get(c.key)?.includes(c.owner)) continue;
      const mark = `${c.owner}@${c.revision}`;
      if (this.suspects.get(c.key) === mark) {
        await this.claims.release(c.key, c.owner, c.revision);
        result.released.push(c.key);
      } else {
        suspects.set(c.key, mark);
      }
    }
    this.suspects = suspects;
    const claimedKeys = new Set(claimed.map((c) => c.key));
    for (const [key, owners] of wanted) {
      if (owners.length > 1) result.duplicates.push(key);
      else if (!claimedKeys.has(key) && (await this.claims.claim(key, owners[0]!))) result.reclaimed.push(key);
    }
    if (result.released.length + result.reclaimed.length + result.duplicates.length > 0) {
      this.logger?.warn(result, 'repaired Service IP and node port allocations');
    }
    return result;
  }

  /** Runs a pass every `intervalMs` (none when 0); returns the stop function. */
  start(intervalMs: number): () => void {
    if (intervalMs <= 0) return () => {};
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      this.runOnce()
        .catch((e: Error) => this.logger?.warn({ err: e.message }, 'Service allocation repair failed; retrying next interval'))
        .finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
