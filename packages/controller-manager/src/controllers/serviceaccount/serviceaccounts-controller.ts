// The ServiceAccounts controller, as upstream's pkg/controller/serviceaccount: every active
// namespace has a `default` ServiceAccount. A namespace that appears, or whose default account
// was deleted, is queued; its sync creates what is missing. Tokens come with the security work.

import { isApiError } from '@kubets/api';
import type { Informer, KubeObject, ResourceTarget } from '@kubets/client';
import type { Controller, ControllerDescriptor } from '../../controller/controller.js';
import { runWorkers } from '../../controller/controller.js';
import type { ControllerContext } from '../../controller/context.js';
import { isNamespaceTerminating } from '../../controller/util/api-errors.js';

export const serviceAccounts: ResourceTarget = { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true, kind: 'ServiceAccount' };

/** The accounts every namespace gets (upstream's ServiceAccountsToEnsure). */
export const accountsToEnsure = ['default'];

interface Namespace extends KubeObject {
  status?: { phase?: string };
}

export class ServiceAccountsController implements Controller {
  private readonly namespaces: Informer<Namespace>;
  private readonly accounts: Informer<KubeObject>;
  private readonly queue;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = ctx.newQueue('serviceaccount');
    this.namespaces = ctx.informers.informerFor<Namespace>('namespaces');
    this.accounts = ctx.informers.informerFor(serviceAccounts);
    const enqueue = (ns: Namespace) => this.queue.add(ns.metadata!.name!);
    this.namespaces.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
    this.accounts.addEventHandler({
      onDelete: (sa) => {
        if (accountsToEnsure.includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata!.namespace!);
      },
    });
  }

  async run(): Promise<void> {
    if (!(await this.ctx.informers.waitForCacheSync())) return;
    await runWorkers(this.ctx, this.queue, this.ctx.options.concurrentServiceAccountSyncs, (ns) => this.syncNamespace(ns));
  }

  async stop(): Promise<void> {
    await this.queue.shutDownWithDrain();
  }

  async syncNamespace(name: string): Promise<void> {
    // Gone, or being deleted: an account made now would only be deleted again.
    if (this.terminating(name)) return;
    for (const account of accountsToEnsure) {
      if (this.accounts.get(name, account) !== undefined) continue;
      try {
        await this.ctx.client.create(serviceAccounts, name, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: account, namespace: name } });
      } catch (e) {
        // Made meanwhile (by an earlier sync or another manager), or refused because the
        // namespace started terminating: either way there is nothing left to do.
        if ((isApiError(e) && e.code === 409) || isNamespaceTerminating(e)) continue;
        throw e;
      }
    }
  }

  private terminating(name: string): boolean {
    const ns = this.namespaces.get(undefined, name);
    return ns === undefined || ns.metadata?.deletionTimestamp !== undefined || (ns.status?.phase ?? 'Active') !== 'Active';
  }
}

export const serviceAccountControllerDescriptor: ControllerDescriptor = {
  name: 'serviceaccount-controller',
  aliases: ['serviceaccount'],
  enabledByDefault: true,
  create: (ctx) => new ServiceAccountsController(ctx),
};
