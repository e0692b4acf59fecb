// The review kinds: questions a client asks the API server about who it is and what it may do
// (authorization.k8s.io/v1 access and rules reviews, authentication.k8s.io/v1 SelfSubjectReview).
// They are created and answered, never stored; the server fills in `status`.

import { type Static, Type } from '@sinclair/typebox';
import { objectSchema } from './meta.js';

const SelectorRequirement = Type.Object({
  key: Type.String({ description: 'The label or field the requirement is about.' }),
  operator: Type.String({ description: 'How the values are compared: In, NotIn, Exists, DoesNotExist (labels) or In, NotIn (fields).' }),
  values: Type.Optional(Type.Array(Type.String(), { description: 'The values for In and NotIn; empty for Exists and DoesNotExist.' })),
}, { description: 'One parsed requirement of a selector.' });

const SelectorAttributes = Type.Object({
  rawSelector: Type.Optional(Type.String({ description: 'The selector as a client would send it in a query, such as `app=web,tier!=db`.' })),
  requirements: Type.Optional(Type.Array(SelectorRequirement, { description: 'The selector as parsed requirements; set this or rawSelector.' })),
}, { description: 'A label or field selector that limits the request being asked about.' });

/** A request on an API resource: `kubectl auth can-i create pods`. */
export const ResourceAttributes = Type.Object({
  namespace: Type.Optional(Type.String({ description: 'The namespace of the request; empty for cluster-scoped resources or for every namespace.' })),
  verb: Type.Optional(Type.String({ description: 'The API verb: get, list, watch, create, update, patch, delete, deletecollection, or `*` for all.' })),
  group: Type.Optional(Type.String({ description: 'The API group of the resource; empty for the core group, `*` for all.' })),
  version: Type.Optional(Type.String({ description: 'The API version of the resource; `*` for all.' })),
  resource: Type.Optional(Type.String({ description: 'The resource, by its plural name (pods, deployments); `*` for all.' })),
  subresource: Type.Optional(Type.String({ description: 'The subresource (status, scale, log), if the request is about one.' })),
  name: Type.Optional(Type.String({ description: 'The name of the object; empty for requests on a collection or any name.' })),
  fieldSelector: Type.Optional(SelectorAttributes),
  labelSelector: Type.Optional(SelectorAttributes),
}, { description: 'The request being asked about, when it is on an API resource.' });
export type ResourceAttributes = Static<typeof ResourceAttributes>;

/** A request on a path that is no resource: `kubectl auth can-i get /healthz`. */
export const NonResourceAttributes = Type.Object({
  path: Type.Optional(Type.String({ description: 'The URL path, such as /healthz or /metrics.' })),
  verb: Type.Optional(Type.String({ description: 'The HTTP verb in lower case: get, post, put, delete.' })),
}, { description: 'The request being asked about, when it is on a path that is not an API resource.' });
export type NonResourceAttributes = Static<typeof NonResourceAttributes>;

const Extra = Type.Record(Type.String(), Type.Array(Type.String()), { description: 'Further attributes of the user that the authenticator recorded, by key.' });

export const SubjectAccessReviewStatus = Type.Object({
  allowed: Type.Optional(Type.Boolean({ description: 'Whether the action is allowed. Required in answers; false does not mean denied.' })),
  denied: Type.Optional(Type.Boolean({ description: 'Whether an authorizer denied the action outright; true implies allowed is false.' })),
  reason: Type.Optional(Type.String({ description: 'Why the action was allowed or not, in words.' })),
  evaluationError: Type.Optional(Type.String({ description: 'What went wrong while checking, if anything; the answer may still be given.' })),
}, { description: 'The server\'s answer: filled in when the review is created.' });
export type SubjectAccessReviewStatus = Static<typeof SubjectAccessReviewStatus>;

export const SelfSubjectAccessReview = objectSchema(
  'SelfSubjectAccessReview',
  {
    spec: Type.Object({
      resourceAttributes: Type.Optional(ResourceAttributes),
      nonResourceAttributes: Type.Optional(NonResourceAttributes),
    }, { description: 'The action to check; exactly one of resourceAttributes and nonResourceAttributes.' }),
    status: Type.Optional(SubjectAccessReviewStatus),
  },
  'authorization.k8s.io/v1 SelfSubjectAccessReview: may the requester perform this action?',
);
export type SelfSubjectAccessReview = Static<typeof SelfSubjectAccessReview>;

export const SubjectAccessReview = objectSchema(
  'SubjectAccessReview',
  {
    spec: Type.Object({
      resourceAttributes: Type.Optional(ResourceAttributes),
      nonResourceAttributes: Type.Optional(NonResourceAttributes),
      user: Type.Optional(Type.String({ description: 'The user to check for; set this or groups.' })),
      groups: Type.Optional(Type.Array(Type.String(), { description: 'The groups to check for; set these or user.' })),
      extra: Type.Optional(Extra),
      uid: Type.Optional(Type.String({ description: 'The unique ID of the user to check for.' })),
    }, { description: 'The action to check and who would perform it.' }),
    status: Type.Optional(SubjectAccessReviewStatus),
  },
  'authorization.k8s.io/v1 SubjectAccessReview: may this user or group perform this action?',
);
export type SubjectAccessReview = Static<typeof SubjectAccessReview>;

export const ResourceRule = Type.Object({
  verbs: Type.Array(Type.String(), { description: 'The verbs allowed on the resources: get, list, create ..., or `*` for all.' }),
  apiGroups: Type.Optional(Type.Array(Type.String(), { description: 'The API groups of the resources; `*` for all.' })),
  resources: Type.Optional(Type.Array(Type.String(), { description: 'The resources, by plural name, with `/subresource` where it is one; `*` for all.' })),
  resourceNames: Type.Optional(Type.Array(Type.String(), { description: 'The object names the rule is limited to; empty for any name.' })),
}, { description: 'Actions allowed on API resources.' });

export const NonResourceRule = Type.Object({
  verbs: Type.Array(Type.String(), { description: 'The HTTP verbs allowed in lower case; `*` for all.' }),
  nonResourceURLs: Type.Optional(Type.Array(Type.String(), { description: 'The paths the rule allows; a trailing `*` matches every path below.' })),
}, { description: 'Actions allowed on paths that are not API resources.' });

export const SelfSubjectRulesReview = objectSchema(
  'SelfSubjectRulesReview',
  {
    spec: Type.Object({ namespace: Type.Optional(Type.String({ description: 'The namespace whose rules to list.' })) }, { description: 'Where to list the requester\'s rules.' }),
    status: Type.Optional(
      Type.Object({
        resourceRules: Type.Optional(Type.Array(ResourceRule, { description: 'What the requester may do with API resources in the namespace.' })),
        nonResourceRules: Type.Optional(Type.Array(NonResourceRule, { description: 'What the requester may do on paths that are not API resources.' })),
        incomplete: Type.Optional(Type.Boolean({ description: 'True when an authorizer could not list its rules, so the lists may leave out allowed actions.' })),
        evaluationError: Type.Optional(Type.String({ description: 'What went wrong while listing the rules, if anything.' })),
      }, { description: 'The requester\'s rules: filled in when the review is created.' }),
    ),
  },
  'authorization.k8s.io/v1 SelfSubjectRulesReview: every action the requester may perform in a namespace (`kubectl auth can-i --list`).',
);
export type SelfSubjectRulesReview = Static<typeof SelfSubjectRulesReview>;

export const UserInfo = Type.Object({
  username: Type.Optional(Type.String({ description: 'The name the user is known by, such as system:anonymous or system:serviceaccount:default:app.' })),
  uid: Type.Optional(Type.String({ description: 'A unique ID of the user, stable across name changes, if the authenticator gives one.' })),
  groups: Type.Optional(Type.Array(Type.String(), { description: 'The groups the user belongs to, such as system:authenticated.' })),
  extra: Type.Optional(Extra),
}, { description: 'Who a user is, as the API server authenticated them.' });
export type UserInfo = Static<typeof UserInfo>;

export const SelfSubjectReview = objectSchema(
  'SelfSubjectReview',
  { status: Type.Optional(Type.Object({ userInfo: Type.Optional(UserInfo) }, { description: 'The answer: filled in when the review is created.' })) },
  'authentication.k8s.io/v1 SelfSubjectReview: who the API server takes the requester to be (`kubectl auth whoami`).',
);
export type SelfSubjectReview = Static<typeof SelfSubjectReview>;
