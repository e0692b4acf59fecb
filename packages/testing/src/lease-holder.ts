// Which process holds a leader-election Lease: the holder identity's name part, which for a
// process the launcher started is its process name (`scheduler-1_<uuid>` -> `scheduler-1`).
import type { KubeClient } from '@kubets/client';

export async function leaseHolder(client: KubeClient, lease: string, namespace = 'kube-system'): Promise<string | undefined> {
  try {
    const obj = await client.get<{ spec?: { holderIdentity?: string } }>('leases.coordination.k8s.io', namespace, lease);
    return obj.spec?.holderIdentity?.split('_')[0];
  } catch {
    // No Lease yet (nobody has led), or the API is not answering: no holder either way.
    return undefined;
  }
}
