// Cluster IPs and node ports for Services, claimed in etcd before the Service is written and
// released when it goes (or when the write fails). The first address of the range belongs to
// the `kubernetes` Service in `default`, as upstream reserves it.

import { randomInt } from 'node:crypto';
import { fieldErrors, type FieldError, groupKindOf, invalid, type ResourceInfo, serviceUnavailable } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import type { Claims } from './claims.js';
import { intToIp, ipToInt, type IPRange, type PortRange } from './ranges.js';

interface Port {
  port: number;
  protocol?: string;
  nodePort?: number;
  name?: string;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  ports?: Port[];
}

/** Where the claims live: one key per cluster IP and per node port, holding its Service's owner string. */
export const claimPrefixes = ['/registry/kubets/serviceips/', '/registry/kubets/servicenodeports/'];
const ipKey = (ip: string) => `${claimPrefixes[0]}${ip}`;
const portKey = (port: number) => `${claimPrefixes[1]}${port}`;

/** Who holds a claim: one Service object, down to its uid (a recreated Service is another owner). */
export function ownerOf(svc: KubeObject): string {
  return `${svc.metadata?.namespace}/${svc.metadata?.name}/${svc.metadata?.uid}`;
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return (spec.type ?? 'ClusterIP') !== 'ExternalName' && spec.clusterIP !== 'None';
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

export class ServiceAllocator {
  constructor(
    private readonly claims: Claims,
    readonly ips: IPRange,
    readonly ports: PortRange,
  ) {}

  /** The address reserved for `default/kubernetes`. */
  get kubernetesServiceIP(): string {
    return intToIp(this.ips.first);
  }

  /** `inUse`: values this Service version already has; the owner's claim on them would succeed again. */
  private async claimRandom<T>(draw: () => T, key: (v: T) => string, owner: string, what: string, inUse: ReadonlySet<T> = new Set()): Promise<T> {
    // Random probing finds a free value quickly until the range is nearly full.
    for (let i = 0; i < 64; i++) {
      const v = draw();
      if (!inUse.has(v) && (await this.claims.claim(key(v), owner))) return v;
    }
    throw serviceUnavailable(`failed to allocate a ${what}: the range is full or nearly full`);
  }

  private async allocateIP(svc: KubeObject, spec: ServiceSpec, errs: FieldError[]): Promise<void> {
    const owner = ownerOf(svc);
    const wanted = spec.clusterIP;
    if (wanted !== undefined && wanted !== '') {
      const n = ipToInt(wanted);
      if (n === undefined || n < this.ips.first || n > this.ips.last) {
        errs.push(fieldErrors.invalid('spec.clusterIPs', [wanted], `failed to allocate IP ${wanted}: provided IP is not in the valid range. The range of valid IPs is ${this.ips.cidr}`));
        return;
      }
      const reserved = n === this.ips.first && !(svc.metadata?.namespace === 'default' && svc.metadata?.name === 'kubernetes');
      if (reserved || !(await this.claims.claim(ipKey(wanted), owner))) {
        errs.push(fieldErrors.invalid('spec.clusterIPs', [wanted], `failed to allocate IP ${wanted}: provided IP is already allocated`));
        return;
      }
    } else {
      // The first usable address stays free for the kubernetes Service.
      const n = await this.claimRandom(() => randomInt(this.ips.first + 1, this.ips.last + 1), (v) => ipKey(intToIp(v)), owner, 'cluster IP');
      spec.clusterIP = intToIp(n);
    }
    spec.clusterIPs = [spec.clusterIP!];
    spec.ipFamilies = ['IPv4'];
    spec.ipFamilyPolicy = 'SingleStack';
  }

  private async allocatePorts(svc: KubeObject, spec: ServiceSpec, errs: FieldError[]): Promise<void> {
    const owner = ownerOf(svc);
    const ports = spec.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const p = ports[i]!;
      if (p.nodePort !== undefined && p.nodePort !== 0) {
        if (p.nodePort < this.ports.first || p.nodePort > this.ports.last) {
          errs.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort, `provided port is not in the valid range. The range of valid ports is ${this.ports.text}`));
        } else if (!(await this.claims.claim(portKey(p.nodePort), owner))) {
          errs.push(fieldErrors.invalid(`spec.ports[${i}].nodePort`, p.nodePort, 'provided port is already allocated'));
        }
        continue;
      }
      // Ports of one Service that share a number (TCP and UDP) share the node port too; other
      // ports never get one of its node ports, though the claim on it is this owner's already.
      const twin = ports.find((q, j) => j < i && q.port === p.port && q.nodePort);
      const taken = new Set(ports.flatMap((q) => (q.nodePort ? [q.nodePort] : [])));
      p.nodePort = twin?.nodePort ?? (await this.claimRandom(() => randomInt(this.ports.first, this.ports.last + 1), portKey, owner, 'node port', taken));
    }
  }

  /**
   * Fills in clusterIP(s) and node ports, claiming them; 422 if a requested one is taken or out of
   * range. On a refusal, the claims it made are left for the caller to release with releaseUnused.
   */
  async allocate(info: ResourceInfo, svc: KubeObject, old?: KubeObject): Promise<void> {
    const spec = (svc.spec ??= {}) as ServiceSpec;
    const oldSpec = (old?.spec ?? {}) as ServiceSpec;
    const errs: FieldError[] = [];
    if (needsClusterIP(spec)) {
      if (old !== undefined && oldSpec.clusterIP && (spec.clusterIP === undefined || spec.clusterIP === '')) spec.clusterIP = oldSpec.clusterIP;
      // The old version holds its address; one that had none (ExternalName) gets one now.
      const held = old !== undefined && needsClusterIP(oldSpec) && spec.clusterIP === oldSpec.clusterIP;
      if (!held) await this.allocateIP(svc, spec, errs);
    } else if (spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else {
      spec.clusterIPs = ['None'];
    }
    if (needsNodePorts(spec)) {
      // An update that leaves a nodePort out keeps the one the port already had.
      for (const p of spec.ports ?? []) {
        if (p.nodePort === undefined || p.nodePort === 0) {
          const prev = (oldSpec.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
          if (prev?.nodePort) p.nodePort = prev.nodePort;
        }
      }
      await this.allocatePorts(svc, spec, errs);
    } else {
      for (const p of spec.ports ?? []) delete p.nodePort;
    }
    // What was claimed before the refusal is released by the caller (abortCreate, settleUpdate).
    if (errs.length > 0) throw invalid(groupKindOf(info), svc.metadata?.name ?? '', errs);
  }

  /** The claim keys a Service version uses. */
  held(svc: KubeObject | undefined): string[] {
    if (svc === undefined) return [];
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const keys: string[] = [];
    if (spec.clusterIP && spec.clusterIP !== 'None') keys.push(ipKey(spec.clusterIP));
    for (const p of spec.ports ?? []) if (p.nodePort) keys.push(portKey(p.nodePort));
    return keys;
  }

  /**
   * Releases what the `versions` claimed but `keep` (the version that stays) does not use. Every
   * release is tried, so one that fails does not leave the others held; the failures are thrown together.
   */
  async releaseUnused(versions: KubeObject | KubeObject[], keep?: KubeObject): Promise<void> {
    const kept = new Set(this.held(keep));
    const unused = new Map<string, { key: string; owner: string }>();
    for (const v of [versions].flat()) {
      const owner = ownerOf(v);
      for (const key of this.held(v)) if (!kept.has(key)) unused.set(`${key}\n${owner}`, { key, owner });
    }
    const releases = [...unused.values()];
    const results = await Promise.allSettled(releases.map((r) => this.claims.release(r.key, r.owner)));
    const failed = releases.filter((_, i) => results[i]!.status === 'rejected').map((r) => r.key);
    if (failed.length > 0) {
      throw new ClaimReleaseError(failed, results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])));
    }
  }
}

/** Claims that could not be released (etcd did not answer); the repair loop frees them later. */
export class ClaimReleaseError extends Error {
  constructor(
    readonly keys: string[],
    readonly causes: unknown[],
  ) {
    super(`releasing ${keys.join(', ')} failed: ${causes.map((c) => (c as Error)?.message ?? String(c)).join('; ')}`);
    this.name = 'ClaimReleaseError';
  }
}
