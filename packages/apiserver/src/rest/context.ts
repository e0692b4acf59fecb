// What the REST handlers need from the rest of the server: one store per resource, and the
// admission steps that run around writes.

import type { ResourceInfo } from '@kubets/api';
import type { KubeObject, ResourceStore } from '../storage/interface.js';

export interface Admission {
  /** Runs after defaulting, before validation: may refuse (namespace lifecycle) or fill in fields. */
  admitCreate(info: ResourceInfo, obj: KubeObject, dryRun: boolean): Promise<void>;
  /**
   * Mutating plugins that run after the write's managedFields are recorded, before validation
   * (DefaultTolerationSeconds): what they add belongs to no manager, as upstream's mutating
   * admission runs after the field manager.
   */
  mutateCreate(info: ResourceInfo, obj: KubeObject): void;
  /** Checks an update against the stored object (immutable fields, allocations). */
  admitUpdate(info: ResourceInfo, next: KubeObject, old: KubeObject, dryRun: boolean): Promise<void>;
  /**
   * After an update, successful or not: releases what the given versions hold (claims made by
   * admitUpdate's attempts, the version replaced) that the version now stored does not use.
   * `stored` is read only when needed; undefined means the object is gone. Never throws: the
   * write decided the answer, and a release that fails is logged for the repair loop to finish.
   */
  settleUpdate(info: ResourceInfo, versions: KubeObject[], stored: () => Promise<KubeObject | undefined>): Promise<void>;
  /** Undoes what admitCreate reserved when the write did not happen. */
  abortCreate(info: ResourceInfo, obj: KubeObject): Promise<void>;
  /** Releases what the object held (cluster IPs, node ports) once it is gone. */
  afterDelete(info: ResourceInfo, obj: KubeObject): Promise<void>;
}

export interface RestContext {
  store(info: ResourceInfo): ResourceStore;
  admission: Admission;
}
