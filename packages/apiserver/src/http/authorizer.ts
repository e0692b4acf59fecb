// The authorizer the review endpoints ask. kubets has no authorization yet, which is
// kube-apiserver's AlwaysAllow mode: every request is allowed, with no reason given, and the
// rules of anyone are "every verb on everything". RBAC will be another implementation of
// this interface; the endpoints that ask it stay as they are.

import type { NonResourceAttributes, ResourceAttributes } from '@kubets/api';
import type { UserInfo } from './identity.js';

export interface Decision {
  allowed: boolean;
  denied: boolean;
  reason: string;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface Rules {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** True when the authorizer could not list every rule (RBAC with a webhook, say). */
  incomplete: boolean;
}

export interface Authorizer {
  authorize(user: UserInfo, attributes: { resource: ResourceAttributes } | { nonResource: NonResourceAttributes }): Decision;
  rulesFor(user: UserInfo, namespace: string): Rules;
}

export const alwaysAllow: Authorizer = {
  authorize: () => ({ allowed: true, denied: false, reason: '' }),
  rulesFor: () => ({
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  }),
};
