// The loopback pod network: each pod gets an address of its own from the node's podCIDR, which
// must lie inside 127.0.0.0/8 (Linux routes all of it to lo, so pods listen on it without any
// privilege). Allocations are files under <root-dir>/network/, one per pod uid, written
// atomically, so a restarted kubelet gives a pod the address it had and never hands out one
// that a running pod still holds.

import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventLog } from '@kubets/component-base';
import type { PodNetwork, PodNetworkAttachment } from './pod-network.js';
import { formatIpv4, formatIpv4Cidr, isLoopbackCidr, nextFreeAddress, parseIpv4, parseIpv4Cidr, podAddressCount } from './cidr.js';
import { PodNetworkError } from './errors.js';

export interface LoopbackPodNetworkOptions {
  rootDir: string;
  /** The node's podCIDR as known now (spec.podCIDR, or --pod-cidr); undefined until there is one. */
  podCIDR: () => string | undefined;
  logger: EventLog;
}

interface Allocation {
  ip: string;
  namespace: string;
  name: string;
}

const allocationSuffix = '.json';

function isAllocation(v: unknown): v is Allocation {
  const a = v as Partial<Allocation> | null;
  return typeof a === 'object' && a !== null && typeof a.ip === 'string' && parseIpv4(a.ip) !== undefined && typeof a.namespace === 'string' && typeof a.name === 'string';
}

/** Reads what earlier runs allocated; leftovers of interrupted writes are removed, unreadable files reported and kept. */
function loadAllocations(dir: string, logger: EventLog): Map<string, Allocation> {
  const out = new Map<string, Allocation>();
  for (const file of readdirSync(dir)) {
    const path = join(dir, file);
    if (!file.endsWith(allocationSuffix)) {
      if (file.includes('.tmp-')) rmSync(path, { force: true });
      continue;
    }
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isAllocation(parsed)) throw new Error('not an allocation record');
      out.set(file.slice(0, -allocationSuffix.length), parsed);
    } catch (e) {
      logger.warn({ path, err: (e as Error).message }, 'pod address record unreadable; ignored');
    }
  }
  return out;
}

class LoopbackPodNetwork implements PodNetwork {
  private readonly dir: string;
  private readonly allocations: Map<string, Allocation>;
  private lastAllocated: number | undefined;
  /** Allocations run one at a time, so two pods set up together never pick the same address. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: LoopbackPodNetworkOptions) {
    this.dir = join(opts.rootDir, 'network');
    mkdirSync(this.dir, { recursive: true });
    this.allocations = loadAllocations(this.dir, opts.logger);
  }

  setUpPod(pod: { uid: string; namespace: string; name: string }): Promise<PodNetworkAttachment> {
    const run = this.queue.then(() => this.allocate(pod));
    this.queue = run.catch(() => undefined); // the caller gets the failure; the chain goes on
    return run;
  }

  async tearDownPod(podUid: string): Promise<void> {
    if (!this.allocations.has(podUid)) return;
    await rm(this.pathOf(podUid), { force: true });
    this.allocations.delete(podUid);
  }

  podAddress(podUid: string): PodNetworkAttachment | undefined {
    const a = this.allocations.get(podUid);
    return a === undefined ? undefined : { ip: a.ip, ips: [a.ip] };
  }

  private pathOf(podUid: string): string {
    // Pod uids are UUIDs; anything else is refused rather than trusted as a file name.
    if (!/^[A-Za-z0-9-]+$/.test(podUid)) throw new Error(`pod uid ${JSON.stringify(podUid)} is not a valid uid`);
    return join(this.dir, podUid + allocationSuffix);
  }

  private async allocate(pod: { uid: string; namespace: string; name: string }): Promise<PodNetworkAttachment> {
    const existing = this.podAddress(pod.uid);
    if (existing !== undefined) return existing;
    const cidrText = this.opts.podCIDR();
    if (cidrText === undefined || cidrText === '') throw new PodNetworkError('NoPodCIDR', 'the node has no podCIDR yet: the controller manager has not allocated one and no --pod-cidr was given');
    const cidr = parseIpv4Cidr(cidrText);
    if (cidr === undefined) throw new PodNetworkError('InvalidPodCIDR', `podCIDR ${JSON.stringify(cidrText)} is not an IPv4 CIDR`);
    if (!isLoopbackCidr(cidr)) throw new PodNetworkError('PodCIDRNotLoopback', `podCIDR ${cidrText} is not inside 127.0.0.0/8: the loopback pod network can only give pods loopback addresses`);
    const taken = new Set([...this.allocations.values()].map((a) => parseIpv4(a.ip)!));
    const address = nextFreeAddress(cidr, taken, this.lastAllocated);
    if (address === undefined) throw new PodNetworkError('PodCIDRExhausted', `podCIDR ${formatIpv4Cidr(cidr)} is exhausted: all ${podAddressCount(cidr)} pod addresses are taken`);
    const allocation: Allocation = { ip: formatIpv4(address), namespace: pod.namespace, name: pod.name };
    await this.persist(pod.uid, allocation);
    this.allocations.set(pod.uid, allocation);
    this.lastAllocated = address;
    return { ip: allocation.ip, ips: [allocation.ip] };
  }

  /** Write-then-rename: a crash leaves either the whole record or none. */
  private async persist(podUid: string, allocation: Allocation): Promise<void> {
    const path = this.pathOf(podUid);
    const tmp = `${path}.tmp-${process.pid}`;
    await writeFile(tmp, JSON.stringify(allocation), { flush: true });
    await rename(tmp, path);
  }
}

/** The loopback pod network over <rootDir>/network/; reads earlier allocations at once. */
export function createLoopbackPodNetwork(opts: LoopbackPodNetworkOptions): PodNetwork {
  return new LoopbackPodNetwork(opts);
}
