// One step of the attemptToOrphan queue (upstream's attemptToOrphanWorker): an owner deleted
// with propagationPolicy Orphan loses its place in every dependent's ownerReferences, then its
// `orphan` finalizer, after which the API server lets it go. A failure requeues the owner: both
// steps are safe to repeat.

import { isNotFound } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import type { QueueAction } from './attempt-to-delete.js';
import type { DependencyGraph } from './graph.js';
import { identityString, orphanFinalizer } from './identity.js';
import { errorText, type GcOperations } from './operations.js';

export class AttemptToOrphan {
  constructor(private readonly d: { graph: DependencyGraph; ops: GcOperations; logger: ControllerLogger }) {}

  async process(uid: string): Promise<QueueAction> {
    const owner = this.d.graph.get(uid);
    if (owner === undefined) return 'forget';
    const id = { ...owner.identity };
    const dependents = [...owner.dependents].map((dep) => ({ ...dep.identity }));
    const results = await Promise.allSettled(dependents.map((dep) => this.d.ops.removeOwnerReferences(dep, [id.uid])));
    const failures = results.flatMap((r, i) => (r.status === 'rejected' && !isNotFound(r.reason) ? [`orphaning ${identityString(dependents[i]!)} failed, ${errorText(r.reason)}`] : []));
    if (failures.length > 0) {
      this.d.logger.warn({ owner: identityString(id), err: failures.join('; ') }, `orphanDependents for ${identityString(id)} failed`);
      return 'requeue';
    }
    try {
      await this.d.ops.removeFinalizer(id, orphanFinalizer);
    } catch (e) {
      this.d.logger.warn({ owner: identityString(id), err: errorText(e) }, `removeOrphanFinalizer for ${identityString(id)} failed`);
      return 'requeue';
    }
    return 'forget';
  }
}
