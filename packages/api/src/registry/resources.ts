// The table of every resource kubets serves, as kube-apiserver's discovery documents
// describe them: group/version/kind, plural and singular names, scope, short names,
// verbs and subresources, plus the kind's schema, defaults and validation.

import type { TSchema } from '@sinclair/typebox';
import * as defaults from '../defaulting/index.js';
import * as schemas from '../schemas/index.js';
import type { NameValidator } from '../validation/meta.js';
import { validateBinding, validateEndpoints, validateEvent, validateLease, validateNamespace, validateNode } from '../validation/cluster.js';
import { validateConfigMap, validateSecret } from '../validation/config.js';
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain, validatePathSegmentName } from '../validation/names.js';
import { validatePodSpec } from '../validation/pod.js';
import { FieldPath } from '../errors/field.js';
import { validateSelfSubjectAccessReview, validateSubjectAccessReview } from '../validation/reviews.js';
import { validateService } from '../validation/service.js';
import { validateDeployment, validateReplicaSet } from '../validation/workloads.js';
import { jobUpdate, validateJob } from '../validation/batch.js';
import { endpointSliceUpdate, validateEndpointSlice } from '../validation/discovery.js';
import { configMapUpdate, type KindUpdateRules, nodeUpdate, podUpdate, secretUpdate, selectorUpdate, serviceUpdate, validateUpdateWith } from '../validation/update.js';
import type { ResourceInfo, SubresourceInfo, Verb } from './types.js';

const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const noDeleteCollection: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

const subdomainName = nameIsDNSSubdomain;
const labelName = nameIsDNSLabel;
const dns1035Name = nameIsDNS1035Label;
const pathSegmentName = validatePathSegmentName;

function status(group: string, version: string, kind: string): SubresourceInfo {
  return { name: 'status', group, version, kind, verbs: ['get', 'patch', 'update'] };
}

const scale: SubresourceInfo = { name: 'scale', group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };

interface Entry {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
  schema: TSchema;
  shortNames?: string[];
  categories?: string[];
  verbs?: Verb[];
  subresources?: (group: string, version: string, kind: string) => SubresourceInfo[];
  validateName?: NameValidator;
  applyDefaults?: (obj: any) => void;
  validate?: ResourceInfo['validate'];
  /** The kind's own update rules; ObjectMeta's apply to every kind. */
  updateRules?: KindUpdateRules;
}

function resource(e: Entry): ResourceInfo {
  return {
    group: e.group,
    version: e.version,
    kind: e.kind,
    listKind: `${e.kind}List`,
    resource: e.resource,
    singular: e.kind.toLowerCase(),
    namespaced: e.namespaced,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    verbs: e.verbs ?? allVerbs,
    subresources: e.subresources?.(e.group, e.version, e.kind) ?? [],
    schema: e.schema,
    validateName: e.validateName ?? subdomainName,
    applyDefaults: e.applyDefaults ?? (() => {}),
    validate: e.validate ?? (() => []),
    validateUpdate: (next, old) => validateUpdateWith(e.updateRules, next, old),
  };
}

export const resources: readonly ResourceInfo[] = [
  resource({
    group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, schema: schemas.Namespace,
    shortNames: ['ns'], verbs: noDeleteCollection, validateName: labelName,
    subresources: (g, v, k) => [status(g, v, k), { name: 'finalize', group: g, version: v, kind: k, verbs: ['update'] }],
    applyDefaults: defaults.defaultNamespace, validate: validateNamespace,
  }),
  resource({
    group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false, schema: schemas.Node,
    shortNames: ['no'], subresources: (g, v, k) => [status(g, v, k)], applyDefaults: defaults.defaultNode, validate: validateNode,
    updateRules: nodeUpdate,
  }),
  resource({
    group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, schema: schemas.Pod,
    shortNames: ['po'], categories: ['all'],
    subresources: (g, v, k) => [
      status(g, v, k),
      { name: 'binding', group: g, version: v, kind: 'Binding', verbs: ['create'] },
      { name: 'log', group: g, version: v, kind: 'Pod', verbs: ['get'] },
    ],
    applyDefaults: defaults.defaultPod,
    validate: (pod: schemas.Pod) => validatePodSpec(pod.spec, FieldPath.root('spec')),
    updateRules: podUpdate,
  }),
  resource({
    group: '', version: 'v1', kind: 'Binding', resource: 'bindings', namespaced: true, schema: schemas.Binding,
    verbs: ['create'], validate: validateBinding,
  }),
  resource({
    group: '', version: 'v1', kind: 'Service', resource: 'services', namespaced: true, schema: schemas.Service,
    shortNames: ['svc'], categories: ['all'], validateName: dns1035Name,
    subresources: (g, v, k) => [status(g, v, k)], applyDefaults: defaults.defaultService, validate: validateService,
    updateRules: serviceUpdate,
  }),
  resource({
    group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', namespaced: true, schema: schemas.Endpoints,
    shortNames: ['ep'], applyDefaults: defaults.defaultEndpoints, validate: validateEndpoints,
  }),
  resource({
    group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true, schema: schemas.ConfigMap,
    shortNames: ['cm'], validate: validateConfigMap, updateRules: configMapUpdate,
  }),
  resource({
    group: '', version: 'v1', kind: 'Secret', resource: 'secrets', namespaced: true, schema: schemas.Secret,
    applyDefaults: defaults.defaultSecret, validate: validateSecret, updateRules: secretUpdate,
  }),
  resource({
    group: '', version: 'v1', kind: 'Event', resource: 'events', namespaced: true, schema: schemas.Event,
    shortNames: ['ev'], validateName: pathSegmentName, validate: validateEvent,
  }),
  resource({
    group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', namespaced: true, schema: schemas.ServiceAccount,
    shortNames: ['sa'],
  }),
  resource({
    group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, schema: schemas.Deployment,
    shortNames: ['deploy'], categories: ['all'], subresources: (g, v, k) => [status(g, v, k), scale],
    applyDefaults: defaults.defaultDeployment, validate: validateDeployment, updateRules: selectorUpdate,
  }),
  resource({
    group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true, schema: schemas.ReplicaSet,
    shortNames: ['rs'], categories: ['all'], subresources: (g, v, k) => [status(g, v, k), scale],
    applyDefaults: defaults.defaultReplicaSet, validate: validateReplicaSet, updateRules: selectorUpdate,
  }),
  resource({
    group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', namespaced: true, schema: schemas.Job,
    categories: ['all'], subresources: (g, v, k) => [status(g, v, k)],
    applyDefaults: defaults.defaultJob, validate: validateJob, updateRules: jobUpdate,
  }),
  resource({
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', resource: 'leases', namespaced: true, schema: schemas.Lease,
    validate: validateLease,
  }),
  resource({
    group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', resource: 'endpointslices', namespaced: true, schema: schemas.EndpointSlice,
    applyDefaults: defaults.defaultEndpointSlice, validate: validateEndpointSlice, updateRules: endpointSliceUpdate,
  }),
  // The reviews: created and answered, never stored (the API server serves them apart).
  resource({
    group: 'authentication.k8s.io', version: 'v1', kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', namespaced: false,
    schema: schemas.SelfSubjectReview, verbs: ['create'],
  }),
  resource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', resource: 'selfsubjectaccessreviews', namespaced: false,
    schema: schemas.SelfSubjectAccessReview, verbs: ['create'], validate: validateSelfSubjectAccessReview,
  }),
  resource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectRulesReview', resource: 'selfsubjectrulesreviews', namespaced: false,
    schema: schemas.SelfSubjectRulesReview, verbs: ['create'],
  }),
  resource({
    group: 'authorization.k8s.io', version: 'v1', kind: 'SubjectAccessReview', resource: 'subjectaccessreviews', namespaced: false,
    schema: schemas.SubjectAccessReview, verbs: ['create'], validate: validateSubjectAccessReview,
  }),
];
