// ReplicaSet and Deployment (apps/v1), and the autoscaling/v1 Scale both expose.

import { type Static, Type } from '@sinclair/typebox';
import { PodTemplateSpec } from './pod.js';
import { IntOrString, LabelSelector, Time, conditionSchema, objectSchema } from './meta.js';
import { described } from './describe.js';

export const ReplicaSetSpec = Type.Object({
  replicas: Type.Optional(Type.Integer({ description: 'How many pods to keep running. Default 1.' })),
  minReadySeconds: Type.Optional(Type.Integer({ description: 'Seconds a new pod must be ready, with no container crashing, to count as available. Default 0.' })),
  selector: Type.Optional(described(LabelSelector, 'Which pods belong to the ReplicaSet; it must match the template\'s labels.')),
  template: Type.Optional(described(PodTemplateSpec, 'The pods to create when there are too few.')),
}, { description: 'The desired state of a ReplicaSet.' });

export const ReplicaSetStatus = Type.Object({
  replicas: Type.Integer({ description: 'How many pods the ReplicaSet has now.' }),
  fullyLabeledReplicas: Type.Optional(Type.Integer({ description: 'How many of them carry all the labels of the template.' })),
  readyReplicas: Type.Optional(Type.Integer({ description: 'How many of them are ready.' })),
  availableReplicas: Type.Optional(Type.Integer({ description: 'How many of them have been ready for at least minReadySeconds.' })),
  observedGeneration: Type.Optional(Type.Integer({ description: 'The metadata.generation this status was computed for.' })),
  conditions: Type.Optional(Type.Array(conditionSchema(), { description: 'The latest observations, such as ReplicaFailure.' })),
}, { description: 'The observed state of a ReplicaSet.' });

export const ReplicaSet = objectSchema(
  'ReplicaSet',
  {
    spec: Type.Optional(described(ReplicaSetSpec, 'How many pods to run, and from which template.')),
    status: Type.Optional(described(ReplicaSetStatus, 'How many pods there are, as last observed; read-only.')),
  },
  'Keeps a number of identical pods running.',
);
export type ReplicaSet = Static<typeof ReplicaSet>;

export const DeploymentStrategy = Type.Object({
  type: Type.Optional(Type.String({ description: 'RollingUpdate (the default: replace pods gradually) or Recreate (delete all old pods before creating new ones).' })),
  rollingUpdate: Type.Optional(
    Type.Object({
      maxUnavailable: Type.Optional(described(IntOrString, 'How many pods may be unavailable during the update: a number or a percentage of replicas, rounded down. Default 25%.')),
      maxSurge: Type.Optional(described(IntOrString, 'How many pods may exist beyond replicas during the update: a number or a percentage, rounded up. Default 25%.')),
    }, { description: 'The pace of a RollingUpdate.' }),
  ),
}, { description: 'How old pods are replaced by new ones.' });

export const DeploymentSpec = Type.Object({
  replicas: Type.Optional(Type.Integer({ description: 'How many pods to run. Default 1.' })),
  selector: Type.Optional(described(LabelSelector, 'Which pods belong to the Deployment; it must match the template\'s labels and cannot be changed.')),
  template: Type.Optional(described(PodTemplateSpec, 'The pods to run; changing it rolls out a new ReplicaSet.')),
  strategy: Type.Optional(described(DeploymentStrategy, 'How old pods are replaced by new ones. Default RollingUpdate with 25% maxUnavailable and maxSurge.')),
  minReadySeconds: Type.Optional(Type.Integer({ description: 'Seconds a new pod must be ready, with no container crashing, to count as available. Default 0.' })),
  revisionHistoryLimit: Type.Optional(Type.Integer({ description: 'How many old ReplicaSets to keep for rollbacks. Default 10.' })),
  paused: Type.Optional(Type.Boolean({ description: 'If true, changes to the template are not rolled out until it is resumed. Default false.' })),
  progressDeadlineSeconds: Type.Optional(Type.Integer({ description: 'Seconds a rollout may go without progress before it is reported as failed (Progressing False, ProgressDeadlineExceeded). Default 600.' })),
}, { description: 'The desired state of a Deployment.' });

export const DeploymentStatus = Type.Object({
  observedGeneration: Type.Optional(Type.Integer({ description: 'The metadata.generation this status was computed for.' })),
  replicas: Type.Optional(Type.Integer({ description: 'How many pods the Deployment\'s ReplicaSets have, old and new.' })),
  updatedReplicas: Type.Optional(Type.Integer({ description: 'How many of them run the current template.' })),
  readyReplicas: Type.Optional(Type.Integer({ description: 'How many of them are ready.' })),
  availableReplicas: Type.Optional(Type.Integer({ description: 'How many of them have been ready for at least minReadySeconds.' })),
  unavailableReplicas: Type.Optional(Type.Integer({ description: 'How many more pods are needed for all replicas to be available.' })),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastUpdateTime: Type.Optional(described(Time, 'When the condition was last updated.')) }), { description: 'Available and Progressing (and ReplicaFailure), with their reasons.' })),
  collisionCount: Type.Optional(Type.Integer({ description: 'How many times the name of a new ReplicaSet collided with an existing one; it goes into the next name.' })),
}, { description: 'The observed state of a Deployment.' });

export const Deployment = objectSchema(
  'Deployment',
  {
    spec: Type.Optional(described(DeploymentSpec, 'The pods to run, how many, and how to roll out changes.')),
    status: Type.Optional(described(DeploymentStatus, 'How the rollout stands, as last observed; read-only.')),
  },
  'Declares the pods a ReplicaSet should run and rolls changes out gradually.',
);
export type Deployment = Static<typeof Deployment>;

export const Scale = objectSchema(
  'Scale',
  {
    spec: Type.Optional(Type.Object({
      replicas: Type.Optional(Type.Integer({ description: 'How many replicas the object should have.' })),
    }, { description: 'The desired scale.' })),
    status: Type.Optional(Type.Object({
      replicas: Type.Integer({ description: 'How many replicas the object has now.' }),
      selector: Type.Optional(Type.String({ description: 'The label selector of the pods counted, in the text form of kubectl -l.' })),
    }, { description: 'The observed scale; read-only.' })),
  },
  'autoscaling/v1 Scale: the replicas subresource of Deployments and ReplicaSets.',
);
export type Scale = Static<typeof Scale>;
