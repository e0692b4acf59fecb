// Empties a namespace that is being deleted, then lets it go (upstream's
// namespacedResourcesDeleter): every namespaced resource the API server serves is deleted in it
// (deletecollection where the resource has it, else one by one), what remains is counted into
// the namespace's conditions, and once nothing remains the `kubernetes` finalizer is removed
// through the namespace's finalize subresource. A pass that leaves content behind throws
// ResourcesRemainingError with an estimate of how long the rest will take; the caller comes back.

import { isApiError, type Namespace } from '@kubets/api';
import { type Clock, isConflict, isNotFound, type KubeClient, type KubeObject } from '@kubets/client';
import { type DiscoveredResource, type Discovery, targetName } from '../garbagecollector/discovery.js';
import { type ContentTotals, NamespaceConditionUpdater } from './conditions.js';

/** The finalizer the namespace controller owns in spec.finalizers. */
export const kubernetesFinalizer = 'kubernetes';

/** Seconds assumed for an object held by a finalizer to be released (upstream's finalizerEstimateSeconds). */
const finalizerEstimateSeconds = 15;

/** Tries of a namespace write that lost a race before giving the key back to the queue. */
const conflictRetries = 10;

/** Some content is still there; look again in about `estimate` seconds. */
export class ResourcesRemainingError extends Error {
  constructor(readonly estimate: number) {
    super(`some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    this.name = 'ResourcesRemainingError';
  }
}

/** What deleting one resource in the namespace left. */
interface ResourcePass {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
  error?: string;
}

export interface DeleterDeps {
  client: KubeClient;
  clock: Clock;
  /** The served resources (upstream: ServerPreferredNamespacedResources); called on every pass. */
  discover(): Promise<Discovery>;
}

export class NamespacedResourcesDeleter {
  /** `<verb> <resource>` the server turned away with 405 or 404: not tried again. */
  private readonly unsupported = new Set<string>();

  constructor(private readonly d: DeleterDeps) {}

  async delete(name: string): Promise<void> {
    let ns = await this.getNamespace(name);
    if (ns?.metadata?.deletionTimestamp === undefined) return;
    ns = await this.retryOnConflict(ns, (cur) => this.ensureTerminating(cur));
    if (ns === undefined) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) throw new ResourcesRemainingError(estimate);
    await this.retryOnConflict(ns, (cur) => this.finalize(cur));
  }

  private async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return await this.d.client.get<Namespace>('namespaces', undefined, name);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Runs the write, re-reading the namespace after each conflict; undefined once the namespace is gone. */
  private async retryOnConflict(ns: Namespace, write: (ns: Namespace) => Promise<Namespace>): Promise<Namespace | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(ns);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (!isConflict(e) || attempt >= conflictRetries) throw e;
      }
      const latest = await this.getNamespace(ns.metadata!.name!);
      if (latest === undefined) return undefined;
      if (latest.metadata?.uid !== ns.metadata?.uid) throw new Error('namespace uid has changed across retries');
      ns = latest;
    }
  }

  private async ensureTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.status?.phase === 'Terminating') return ns;
    return this.d.client.updateStatus<Namespace>('namespaces', undefined, { ...ns, status: { ...ns.status, phase: 'Terminating' } });
  }

  /** PUT .../finalize with spec.finalizers less ours (sorted, as upstream's set). */
  private async finalize(ns: Namespace): Promise<Namespace> {
    const finalizers = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== kubernetesFinalizer))].sort();
    const body: Namespace = { ...ns, spec: { ...ns.spec, finalizers } };
    return this.d.client.updateSubresource<Namespace>('namespaces', undefined, ns.metadata!.name!, 'finalize', body);
  }

  /** One pass over every namespaced resource; returns the estimate (seconds) for what remains. */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata!.name!;
    const deletedAt = Date.parse(ns.metadata!.deletionTimestamp!);
    const conditions = new NamespaceConditionUpdater(() => rfc3339(this.d.clock.now()));
    const errors: string[] = [];
    const resources = await this.deletableResources(conditions, errors);
    const totals: ContentTotals = { remainingByResource: new Map(), remainingByFinalizer: new Map() };
    let estimate = 0;
    for (const r of resources) {
      const pass = await this.deleteAllOf(r, name, deletedAt);
      if (pass.error !== undefined) {
        errors.push(pass.error);
        conditions.deleteContentFailed(pass.error);
      }
      estimate = Math.max(estimate, pass.estimate);
      if (pass.remaining === 0) continue;
      totals.remainingByResource.set(`${r.resource}.${r.group}`, pass.remaining);
      for (const [f, n] of pass.finalizers) totals.remainingByFinalizer.set(f, (totals.remainingByFinalizer.get(f) ?? 0) + n);
    }
    conditions.contentTotals(totals);
    // Written every pass in which it changed: a condition that cleared must say so too.
    const status = structuredClone(ns.status ?? {});
    if (conditions.update(status)) await this.writeStatus({ ...ns, status });
    if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
    return estimate;
  }

  private async writeStatus(ns: Namespace): Promise<void> {
    try {
      await this.d.client.updateStatus('namespaces', undefined, ns);
    } catch (e) {
      // As upstream: the next pass writes them again.
      if (!isConflict(e) && !isNotFound(e)) throw e;
    }
  }

  /** Discovery's namespaced, deletable resources; failures become conditions and errors, as upstream. */
  private async deletableResources(conditions: NamespaceConditionUpdater, errors: string[]): Promise<DiscoveredResource[]> {
    let found: Discovery;
    try {
      found = await this.d.discover();
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      errors.push(err.message);
      conditions.discoveryFailed(err);
      return [];
    }
    if (found.failure !== undefined) {
      // Not fatal: the groups that answered are still emptied.
      errors.push(found.failure.message);
      conditions.discoveryFailed(found.failure);
    }
    if (found.parseErrors.length > 0) {
      // Upstream's GroupVersionResources gives up on the whole list at the first bad group-version.
      errors.push(found.parseErrors[0]!);
      conditions.groupVersionParsingFailed(found.parseErrors[0]!);
      return [];
    }
    return found.resources.filter((r) => r.namespaced && r.verbs.includes('delete'));
  }

  /** Upstream's deleteAllContentForGroupVersionResource. */
  private async deleteAllOf(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<ResourcePass> {
    const none = new Map<string, number>();
    let estimate = 0;
    try {
      estimate = await this.estimateGracefulTermination(r, namespace, deletedAt);
      if (!(await this.deleteCollection(r, namespace))) await this.deleteEachItem(r, namespace);
      const items = await this.listCollection(r, namespace);
      if (items === undefined) return { estimate, remaining: 0, finalizers: none };
      const finalizers = countFinalizers(items);
      if (estimate !== 0) return { estimate, remaining: items.length, finalizers };
      // Objects held by finalizers are expected to take a while: wait for them.
      if (finalizers.size > 0) return { estimate: finalizerEstimateSeconds, remaining: items.length, finalizers };
      if (items.length === 0) return { estimate, remaining: 0, finalizers: none };
      return { estimate, remaining: items.length, finalizers: none, error: `unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(r)}` };
    } catch (e) {
      return { estimate, remaining: 0, finalizers: none, error: e instanceof Error ? e.message : String(e) };
    }
  }

  /**
   * Pods that may still be running get their grace period: the longest among non-terminal pods,
   * unless that much time has passed since the namespace's deletion started.
   */
  private async estimateGracefulTermination(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<number> {
    if (r.group !== '' || r.resource !== 'pods') return 0;
    const pods = await this.d.client.list<KubeObject & { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } }>(r, namespace);
    let estimate = 0;
    for (const pod of pods.items) {
      const phase = pod.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, pod.spec?.terminationGracePeriodSeconds ?? 0);
    }
    return this.d.clock.now() - deletedAt >= estimate * 1000 ? 0 : estimate;
  }

  /** Whether deletecollection was possible; false sends the caller to delete item by item. */
  private async deleteCollection(r: DiscoveredResource, namespace: string): Promise<boolean> {
    if (!this.supports(r, 'deletecollection')) return false;
    try {
      await this.d.client.deleteCollection(r, namespace, { propagationPolicy: 'Background' });
      return true;
    } catch (e) {
      if (!this.markIfUnsupported(r, 'deletecollection', e)) throw e;
      return false;
    }
  }

  private async deleteEachItem(r: DiscoveredResource, namespace: string): Promise<void> {
    const items = await this.listCollection(r, namespace);
    for (const item of items ?? []) {
      try {
        await this.d.client.delete(r, namespace, item.metadata!.name!, { propagationPolicy: 'Background' });
      } catch (e) {
        if (!isNotFound(e) && !isMethodNotSupported(e)) throw e;
      }
    }
  }

  /** The items left; undefined if the resource cannot be listed. */
  private async listCollection(r: DiscoveredResource, namespace: string): Promise<KubeObject[] | undefined> {
    if (!this.supports(r, 'list')) return undefined;
    try {
      return (await this.d.client.listAll(r, namespace)).items;
    } catch (e) {
      if (!this.markIfUnsupported(r, 'list', e)) throw e;
      return undefined;
    }
  }

  private supports(r: DiscoveredResource, verb: string): boolean {
    return r.verbs.includes(verb) && !this.unsupported.has(`${verb} ${targetName(r)}`);
  }

  /** 405, or 404 for a resource discovery lists without the verb (upstream issue 22413): remembered. */
  private markIfUnsupported(r: DiscoveredResource, verb: string, e: unknown): boolean {
    if (!isMethodNotSupported(e) && !isNotFound(e)) return false;
    this.unsupported.add(`${verb} ${targetName(r)}`);
    return true;
  }
}

function countFinalizers(items: KubeObject[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) for (const f of (item.metadata?.finalizers as string[] | undefined) ?? []) counts.set(f, (counts.get(f) ?? 0) + 1);
  return counts;
}

/** As Go prints a schema.GroupVersionResource: `/v1, Resource=pods`, `apps/v1, Resource=deployments`. */
function gvrString(r: DiscoveredResource): string {
  return `${r.group}/${r.version}, Resource=${r.resource}`;
}

function isMethodNotSupported(e: unknown): boolean {
  return isApiError(e) && e.code === 405;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
