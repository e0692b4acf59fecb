// The review endpoints, POST only and never stored, as kube-apiserver serves them:
// authorization.k8s.io/v1 selfsubjectaccessreviews, subjectaccessreviews and
// selfsubjectrulesreviews (`kubectl auth can-i`, `can-i --list`), and authentication.k8s.io/v1
// selfsubjectreviews (`kubectl auth whoami`). Each decodes the question (JSON, YAML or protobuf),
// validates it, and answers 201 with the same object and its status filled in.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  apiVersionOf, badRequest, findByKind, groupKindOf, invalid, type ResourceInfo,
  type SelfSubjectAccessReview, type SelfSubjectRulesReview, type SubjectAccessReview,
} from '@kubets/api';
import { decodeFor } from '../rest/write-pipeline.js';
import type { KubeObject } from '../storage/interface.js';
import type { Authorizer } from './authorizer.js';
import { decodeBody } from './body.js';
import { requestUser, type UserInfo } from './identity.js';
import { fieldValidation, isDryRun, type Query } from './query.js';

type AccessReview = SelfSubjectAccessReview | SubjectAccessReview;

/** Go's zero time, which the answers carry as upstream's do (an object never stored has none). */
function unstoredMetadata(obj: KubeObject): Record<string, unknown> {
  return { ...(obj.metadata ?? {}), creationTimestamp: null };
}

function accessStatus(authorizer: Authorizer, user: UserInfo, review: AccessReview) {
  const spec = review.spec;
  const d = authorizer.authorize(user, spec.resourceAttributes !== undefined ? { resource: spec.resourceAttributes } : { nonResource: spec.nonResourceAttributes! });
  return { allowed: d.allowed, ...(d.denied ? { denied: true } : {}), ...(d.reason !== '' ? { reason: d.reason } : {}) };
}

/** The user a SubjectAccessReview asks about: the one its spec names, not the requester. */
function subjectOf(review: SubjectAccessReview): UserInfo {
  const s = review.spec;
  return { username: s.user ?? '', groups: s.groups ?? [], ...(s.uid !== undefined ? { uid: s.uid } : {}), ...(s.extra !== undefined ? { extra: s.extra } : {}) };
}

type Answer = (obj: KubeObject, requester: () => UserInfo, authorizer: Authorizer) => KubeObject;

/** Keyed by apiVersion/kind: the kinds the registry lists, answered here. */
const answers: Record<string, Answer> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': (obj, requester, authorizer) => ({
    ...obj, metadata: unstoredMetadata(obj), status: accessStatus(authorizer, requester(), obj as AccessReview),
  }),
  'authorization.k8s.io/v1/SubjectAccessReview': (obj, _requester, authorizer) => {
    const review = obj as SubjectAccessReview;
    return { ...obj, metadata: unstoredMetadata(obj), status: accessStatus(authorizer, subjectOf(review), review) };
  },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': (obj, requester, authorizer) => {
    const namespace = (obj as SelfSubjectRulesReview).spec.namespace ?? '';
    if (namespace === '') throw badRequest('no namespace on request');
    return { ...obj, metadata: unstoredMetadata(obj), status: authorizer.rulesFor(requester(), namespace) };
  },
  // The one review upstream stamps with the time it was answered.
  'authentication.k8s.io/v1/SelfSubjectReview': (obj, requester) => {
    const u = requester();
    const userInfo = { username: u.username, ...(u.uid !== undefined ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra !== undefined ? { extra: u.extra } : {}) };
    return { ...obj, metadata: { ...(obj.metadata ?? {}), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }, status: { userInfo } };
  },
};

function review(info: ResourceInfo, answer: Answer, req: FastifyRequest, authorizer: Authorizer, warnings: string[]): KubeObject {
  const q = req.query as Query;
  const obj = decodeFor(info, decodeBody(req.headers['content-type'], req.body), fieldValidation(q), { add: (m) => warnings.push(m) });
  const errs = info.validate(obj);
  if (errs.length > 0) throw invalid(groupKindOf(info), '', errs);
  return answer(obj, () => requestUser(req.raw.headersDistinct), authorizer);
}

export function registerReviewRoutes(app: FastifyInstance, authorizer: Authorizer): void {
  for (const [key, answer] of Object.entries(answers)) {
    const slash = key.lastIndexOf('/');
    const info = findByKind(key.slice(0, slash), key.slice(slash + 1));
    if (info === undefined) throw new Error(`the resource registry has no ${key}`);
    app.post(`/${info.group === '' ? 'api' : 'apis'}/${apiVersionOf(info)}/${info.resource}`, async (req: FastifyRequest, reply: FastifyReply) => {
      req.kube = { verb: 'create', group: info.group, version: info.version, resource: info.resource, subresource: '', scope: 'resource', dryRun: isDryRun(req.query as Query), apply: false };
      const warnings: string[] = [];
      const answered = review(info, answer, req, authorizer, warnings);
      // Unknown fields under fieldValidation=Warn, as every write reports them.
      if (warnings.length > 0) reply.header('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
      return reply.code(201).type('application/json').send(JSON.stringify(answered));
    });
  }
}
