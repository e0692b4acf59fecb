// upstream's lease endpoint reconciler (pkg/controlplane/reconcilers/lease.go): every interval
// an API server refreshes its master lease, then makes the `kubernetes` Service's Endpoints and
// EndpointSlices list the servers whose lease is live; on a clean shutdown it deletes its lease
// and reconciles once more, so clients stop being sent to it before it goes. Writes go through
// the REST pipeline, as upstream's go through its loopback client, recorded for kube-apiserver.

import { isApiError, resolveResource, type ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import type { RestContext } from '../rest/context.js';
import { createObject, type WriteOptions } from '../rest/create.js';
import { deleteObject } from '../rest/delete.js';
import { replaceObject } from '../rest/update.js';
import { desiredSlices, desiredSubsets, endpointsToWrite, kubernetesServiceName, sliceToWrite, staleSlices } from './kubernetes-endpoints.js';
import type { ApiServerEndpoint, MasterLeases } from './master-leases.js';

/** upstream's DefaultEndpointReconcilerInterval: well inside the lease TTL. */
export const endpointReconcileIntervalMs = 10_000;

const writeOptions: WriteOptions = { dryRun: false, fieldValidation: 'Ignore', warnings: { add: () => {} }, manager: 'kube-apiserver' };

export class LeaseEndpointReconciler {
  private readonly endpoints: ResourceInfo = resolveResource('endpoints')!;
  private readonly slices: ResourceInfo = resolveResource('endpointslices')!;

  constructor(
    private readonly ctx: RestContext,
    private readonly leases: MasterLeases,
    readonly self: ApiServerEndpoint,
  ) {}

  /** Refreshes this server's lease (first, whatever happens next), then reconciles. */
  async reconcileEndpoints(): Promise<void> {
    await this.leases.update(this.self);
    await this.reconcile();
  }

  /** A clean shutdown: this server's lease goes, then it leaves the Endpoints and slices. */
  async removeEndpoints(): Promise<void> {
    await this.leases.remove(this.self);
    await this.reconcile();
  }

  private async reconcile(): Promise<void> {
    // The objects are read before the leases, as upstream's doReconcile does: a server that
    // leaves after our lease list writes its removal after our read, so our write (at the
    // version read) conflicts instead of putting the leaving server back.
    const endpoints = await this.read(this.endpoints, kubernetesServiceName);
    const slices = (await this.ctx.store(this.slices).list('default')).items;
    const servers = await this.leases.list();
    // Our own lease was just written (or we are leaving): none at all means storage is not
    // telling the truth, and the Endpoints are better left as they are, as upstream does.
    if (servers.length === 0) throw new Error('no API server IP addresses were listed in storage, refusing to erase all endpoints for the kubernetes Service');
    await this.reconcileEndpointsObject(endpoints, servers);
    await this.reconcileSlices(slices, servers);
  }

  private async reconcileEndpointsObject(current: KubeObject | undefined, servers: ApiServerEndpoint[]): Promise<void> {
    const next = endpointsToWrite(current, servers);
    if (next !== undefined) await this.write(this.endpoints, current, next);
  }

  private async reconcileSlices(existing: KubeObject[], servers: ApiServerEndpoint[]): Promise<void> {
    const desired = desiredSlices(desiredSubsets(servers));
    for (const [name, slice] of desired) {
      const current = existing.find((s) => s.metadata?.name === name);
      const next = sliceToWrite(current, slice);
      if (next !== undefined) await this.write(this.slices, current, next);
    }
    for (const stale of staleSlices(existing, desired)) {
      await deleteObject(this.ctx, this.slices, 'default', stale.metadata!.name!, { dryRun: false, preconditions: { uid: stale.metadata!.uid as string } });
    }
  }

  private async read(info: ResourceInfo, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.ctx.store(info).get('default', name);
    } catch (e) {
      if (isApiError(e) && e.code === 404) return undefined;
      throw e;
    }
  }

  /** Creates, or updates at the version read (a 409 waits for the next round, as upstream's). */
  private async write(info: ResourceInfo, current: KubeObject | undefined, next: KubeObject): Promise<void> {
    if (current !== undefined) {
      await replaceObject(this.ctx, info, 'default', next.metadata!.name!, 'main', next, writeOptions);
      return;
    }
    try {
      await createObject(this.ctx, info, 'default', next, writeOptions);
    } catch (e) {
      // Another API server created it meanwhile: the next round compares with theirs.
      if (!(isApiError(e) && e.code === 409)) throw e;
    }
  }
}
