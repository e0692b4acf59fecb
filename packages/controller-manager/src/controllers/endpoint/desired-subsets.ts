// What a Service's Endpoints should list, as upstream's syncService computes it from the pods its
// selector matches: each pod's address once per Service port it has (a named targetPort resolved
// in that pod), ready or not ready by its Ready condition (publishNotReadyAddresses: all ready),
// then repacked into the canonical subsets. Pure: the controller hands in the cached objects.

import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service, ServicePort } from '@kubets/api';
import { isPodReady } from '../../controller/util/pod-status.js';
import { findPort, podIPv4, shouldPodBeInEndpoints, shouldSetHostname } from '../endpointslice/util/pod-endpoints.js';
import { repackSubsets, subset } from './repack.js';

export function desiredSubsets(service: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  const servicePorts = service.spec?.ports ?? [];
  const headless = service.spec?.clusterIP === 'None';
  const subsets: EndpointSubset[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = endpointAddress(service, pod);
    // Dual-stack clusters may have pods without an address of the Service's family.
    if (address === undefined) continue;
    const ready = publishNotReady || isPodReady(pod);
    if (servicePorts.length === 0) {
      // A headless Service may have no ports; its pods are listed without any.
      if (headless) subsets.push(ready ? subset([address], [], []) : subset([], [address], []));
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep = endpointPort(sp, port);
      subsets.push(ready ? subset([address], [], [ep]) : subset([], [address], [ep]));
    }
  }
  return repackSubsets(subsets);
}

function endpointAddress(service: Service, pod: Pod): EndpointAddress | undefined {
  const ip = podIPv4(pod);
  if (ip === undefined) return undefined;
  const address: EndpointAddress = { ip };
  if (shouldSetHostname(pod, service)) address.hostname = pod.spec!.hostname!;
  if (pod.spec?.nodeName) address.nodeName = pod.spec.nodeName;
  address.targetRef = { kind: 'Pod', namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! };
  return address;
}

function endpointPort(sp: ServicePort, port: number): EndpointPort {
  const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
  if (sp.name) ep.name = sp.name;
  if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
  return ep;
}
