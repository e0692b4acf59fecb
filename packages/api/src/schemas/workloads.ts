// ReplicaSet and Deployment (apps/v1), and the autoscaling/v1 Scale both expose.

import { type Static, Type } from '@sinclair/typebox';
import { PodTemplateSpec } from './pod.js';
import { IntOrString, LabelSelector, Time, conditionSchema, objectSchema } from './meta.js';

export const ReplicaSetSpec = Type.Object({
  replicas: Type.Optional(Type.Integer()),
  minReadySeconds: Type.Optional(Type.Integer()),
  selector: Type.Optional(LabelSelector),
  template: Type.Optional(PodTemplateSpec),
});

export const ReplicaSetStatus = Type.Object({
  replicas: Type.Integer(),
  fullyLabeledReplicas: Type.Optional(Type.Integer()),
  readyReplicas: Type.Optional(Type.Integer()),
  availableReplicas: Type.Optional(Type.Integer()),
  observedGeneration: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(conditionSchema())),
});

export const ReplicaSet = objectSchema(
  'ReplicaSet',
  { spec: Type.Optional(ReplicaSetSpec), status: Type.Optional(ReplicaSetStatus) },
  'Keeps a number of identical pods running.',
);
export type ReplicaSet = Static<typeof ReplicaSet>;

export const DeploymentStrategy = Type.Object({
  type: Type.Optional(Type.String()),
  rollingUpdate: Type.Optional(
    Type.Object({ maxUnavailable: Type.Optional(IntOrString), maxSurge: Type.Optional(IntOrString) }),
  ),
});

export const DeploymentSpec = Type.Object({
  replicas: Type.Optional(Type.Integer()),
  selector: Type.Optional(LabelSelector),
  template: Type.Optional(PodTemplateSpec),
  strategy: Type.Optional(DeploymentStrategy),
  minReadySeconds: Type.Optional(Type.Integer()),
  revisionHistoryLimit: Type.Optional(Type.Integer()),
  paused: Type.Optional(Type.Boolean()),
  progressDeadlineSeconds: Type.Optional(Type.Integer()),
});

export const DeploymentStatus = Type.Object({
  observedGeneration: Type.Optional(Type.Integer()),
  replicas: Type.Optional(Type.Integer()),
  updatedReplicas: Type.Optional(Type.Integer()),
  readyReplicas: Type.Optional(Type.Integer()),
  availableReplicas: Type.Optional(Type.Integer()),
  unavailableReplicas: Type.Optional(Type.Integer()),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastUpdateTime: Type.Optional(Time) }))),
  collisionCount: Type.Optional(Type.Integer()),
});

export const Deployment = objectSchema(
  'Deployment',
  { spec: Type.Optional(DeploymentSpec), status: Type.Optional(DeploymentStatus) },
  'Declares the pods a ReplicaSet should run and rolls changes out gradually.',
);
export type Deployment = Static<typeof Deployment>;

export const Scale = objectSchema(
  'Scale',
  {
    spec: Type.Optional(Type.Object({ replicas: Type.Optional(Type.Integer()) })),
    status: Type.Optional(Type.Object({ replicas: Type.Integer(), selector: Type.Optional(Type.String()) })),
  },
  'autoscaling/v1 Scale: the replicas subresource of Deployments and ReplicaSets.',
);
export type Scale = Static<typeof Scale>;
