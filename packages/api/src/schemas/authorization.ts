// The review kinds: questions a client asks the API server about who it is and what it may do
// (authorization.k8s.io/v1 access and rules reviews, authentication.k8s.io/v1 SelfSubjectReview).
// They are created and answered, never stored; the server fills in `status`.

import { type Static, Type } from '@sinclair/typebox';
import { objectSchema } from './meta.js';

const SelectorRequirement = Type.Object({
  key: Type.String(),
  operator: Type.String(),
  values: Type.Optional(Type.Array(Type.String())),
});

const SelectorAttributes = Type.Object({
  rawSelector: Type.Optional(Type.String()),
  requirements: Type.Optional(Type.Array(SelectorRequirement)),
});

/** A request on an API resource: `kubectl auth can-i create pods`. */
export const ResourceAttributes = Type.Object({
  namespace: Type.Optional(Type.String()),
  verb: Type.Optional(Type.String()),
  group: Type.Optional(Type.String()),
  version: Type.Optional(Type.String()),
  resource: Type.Optional(Type.String()),
  subresource: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  fieldSelector: Type.Optional(SelectorAttributes),
  labelSelector: Type.Optional(SelectorAttributes),
});
export type ResourceAttributes = Static<typeof ResourceAttributes>;

/** A request on a path that is no resource: `kubectl auth can-i get /healthz`. */
export const NonResourceAttributes = Type.Object({
  path: Type.Optional(Type.String()),
  verb: Type.Optional(Type.String()),
});
export type NonResourceAttributes = Static<typeof NonResourceAttributes>;

const Extra = Type.Record(Type.String(), Type.Array(Type.String()));

export const SubjectAccessReviewStatus = Type.Object({
  allowed: Type.Optional(Type.Boolean()),
  denied: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String()),
  evaluationError: Type.Optional(Type.String()),
});
export type SubjectAccessReviewStatus = Static<typeof SubjectAccessReviewStatus>;

export const SelfSubjectAccessReview = objectSchema(
  'SelfSubjectAccessReview',
  {
    spec: Type.Object({
      resourceAttributes: Type.Optional(ResourceAttributes),
      nonResourceAttributes: Type.Optional(NonResourceAttributes),
    }),
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
      user: Type.Optional(Type.String()),
      groups: Type.Optional(Type.Array(Type.String())),
      extra: Type.Optional(Extra),
      uid: Type.Optional(Type.String()),
    }),
    status: Type.Optional(SubjectAccessReviewStatus),
  },
  'authorization.k8s.io/v1 SubjectAccessReview: may this user or group perform this action?',
);
export type SubjectAccessReview = Static<typeof SubjectAccessReview>;

export const ResourceRule = Type.Object({
  verbs: Type.Array(Type.String()),
  apiGroups: Type.Optional(Type.Array(Type.String())),
  resources: Type.Optional(Type.Array(Type.String())),
  resourceNames: Type.Optional(Type.Array(Type.String())),
});

export const NonResourceRule = Type.Object({
  verbs: Type.Array(Type.String()),
  nonResourceURLs: Type.Optional(Type.Array(Type.String())),
});

export const SelfSubjectRulesReview = objectSchema(
  'SelfSubjectRulesReview',
  {
    spec: Type.Object({ namespace: Type.Optional(Type.String()) }),
    status: Type.Optional(
      Type.Object({
        resourceRules: Type.Optional(Type.Array(ResourceRule)),
        nonResourceRules: Type.Optional(Type.Array(NonResourceRule)),
        incomplete: Type.Optional(Type.Boolean()),
        evaluationError: Type.Optional(Type.String()),
      }),
    ),
  },
  'authorization.k8s.io/v1 SelfSubjectRulesReview: every action the requester may perform in a namespace (`kubectl auth can-i --list`).',
);
export type SelfSubjectRulesReview = Static<typeof SelfSubjectRulesReview>;

export const UserInfo = Type.Object({
  username: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  groups: Type.Optional(Type.Array(Type.String())),
  extra: Type.Optional(Extra),
});
export type UserInfo = Static<typeof UserInfo>;

export const SelfSubjectReview = objectSchema(
  'SelfSubjectReview',
  { status: Type.Optional(Type.Object({ userInfo: Type.Optional(UserInfo) })) },
  'authentication.k8s.io/v1 SelfSubjectReview: who the API server takes the requester to be (`kubectl auth whoami`).',
);
export type SelfSubjectReview = Static<typeof SelfSubjectReview>;
