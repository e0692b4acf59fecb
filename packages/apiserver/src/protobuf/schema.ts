// Our message definitions, parsed once by protobufjs, and the table from an Unknown envelope's
// apiVersion and kind to the message its raw bytes hold.

import protobuf from 'protobufjs';
import { coreV1Proto } from './core-proto.js';
import { authenticationV1Proto, authorizationV1Proto } from './auth-proto.js';
import { appsV1Proto, autoscalingV1Proto, batchV1Proto, coordinationV1Proto, discoveryV1Proto } from './groups-proto.js';
import { intstrProto, metaProto, metaV1Proto, resourceProto } from './meta-proto.js';

function buildRoot(): protobuf.Root {
  const root = new protobuf.Root();
  for (const text of [metaProto, intstrProto, resourceProto, metaV1Proto, coreV1Proto, appsV1Proto, autoscalingV1Proto, batchV1Proto, coordinationV1Proto, discoveryV1Proto, authorizationV1Proto, authenticationV1Proto]) {
    protobuf.parse(text, root, { keepCase: true });
  }
  root.resolveAll();
  return root;
}

export const protoRoot = buildRoot();

export const unknownType = protoRoot.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');

const core = 'k8s.io.api.core.v1.';
const kinds: Record<string, string> = {
  'v1/Pod': `${core}Pod`,
  'v1/Service': `${core}Service`,
  'v1/Endpoints': `${core}Endpoints`,
  'v1/ConfigMap': `${core}ConfigMap`,
  'v1/Secret': `${core}Secret`,
  'v1/Namespace': `${core}Namespace`,
  'v1/Node': `${core}Node`,
  'v1/Event': `${core}Event`,
  'v1/Binding': `${core}Binding`,
  'v1/ServiceAccount': `${core}ServiceAccount`,
  'apps/v1/Deployment': 'k8s.io.api.apps.v1.Deployment',
  'apps/v1/ReplicaSet': 'k8s.io.api.apps.v1.ReplicaSet',
  'autoscaling/v1/Scale': 'k8s.io.api.autoscaling.v1.Scale',
  'batch/v1/Job': 'k8s.io.api.batch.v1.Job',
  'discovery.k8s.io/v1/EndpointSlice': 'k8s.io.api.discovery.v1.EndpointSlice',
  'coordination.k8s.io/v1/Lease': 'k8s.io.api.coordination.v1.Lease',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'k8s.io.api.authorization.v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SubjectAccessReview': 'k8s.io.api.authorization.v1.SubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'k8s.io.api.authorization.v1.SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'k8s.io.api.authentication.v1.SelfSubjectReview',
};

const deleteOptions = protoRoot.lookupType('k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions');

/** The message for a kind, or undefined when we have none. DeleteOptions is sent under every group's version. */
export function messageFor(apiVersion: string, kind: string): protobuf.Type | undefined {
  if (kind === 'DeleteOptions') return deleteOptions;
  const name = kinds[`${apiVersion}/${kind}`];
  return name === undefined ? undefined : protoRoot.lookupType(name);
}
