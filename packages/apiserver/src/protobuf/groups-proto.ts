// The named groups' messages: apps/v1 Deployment and ReplicaSet, autoscaling/v1 Scale,
// coordination.k8s.io/v1 Lease, batch/v1 Job and discovery.k8s.io/v1 EndpointSlice, at
// upstream's field numbers (k8s.io/api generated.proto).
// (keep) marks Go pointers such as spec.replicas, where an explicit 0 means 0.

export const appsV1Proto = `
syntax = "proto2";
package k8s.io.api.apps.v1;

message Deployment {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional DeploymentSpec spec = 2;
  optional DeploymentStatus status = 3;
}

message DeploymentSpec {
  optional int32 replicas = 1 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
  optional DeploymentStrategy strategy = 4;
  optional int32 minReadySeconds = 5;
  optional int32 revisionHistoryLimit = 6 [(keep) = true];
  optional bool paused = 7;
  optional int32 progressDeadlineSeconds = 9 [(keep) = true];
}

message DeploymentStrategy {
  optional string type = 1;
  optional RollingUpdateDeployment rollingUpdate = 2;
}

message RollingUpdateDeployment {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxUnavailable = 1 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString maxSurge = 2 [(keep) = true];
}

message DeploymentStatus {
  optional int64 observedGeneration = 1;
  optional int32 replicas = 2;
  optional int32 updatedReplicas = 3;
  optional int32 readyReplicas = 7;
  optional int32 availableReplicas = 4;
  optional int32 unavailableReplicas = 5;
  repeated DeploymentCondition conditions = 6;
  optional int32 collisionCount = 8 [(keep) = true];
}

message DeploymentCondition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastUpdateTime = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 7;
  optional string reason = 4;
  optional string message = 5;
}

message ReplicaSet {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ReplicaSetSpec spec = 2;
  optional ReplicaSetStatus status = 3;
}

message ReplicaSetSpec {
  optional int32 replicas = 1 [(keep) = true];
  optional int32 minReadySeconds = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 2;
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 3;
}

message ReplicaSetStatus {
  optional int32 replicas = 1 [(keep) = true];
  optional int32 fullyLabeledReplicas = 2;
  optional int32 readyReplicas = 4;
  optional int32 availableReplicas = 5;
  optional int64 observedGeneration = 3;
  repeated ReplicaSetCondition conditions = 6;
}

message ReplicaSetCondition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 3;
  optional string reason = 4;
  optional string message = 5;
}
`;

export const autoscalingV1Proto = `
syntax = "proto2";
package k8s.io.api.autoscaling.v1;

message Scale {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ScaleSpec spec = 2;
  optional ScaleStatus status = 3;
}

// replicas is not a pointer upstream, but scaling to zero must still say zero.
message ScaleSpec {
  optional int32 replicas = 1 [(keep) = true];
}

message ScaleStatus {
  optional int32 replicas = 1 [(keep) = true];
  optional string selector = 2;
}
`;

export const coordinationV1Proto = `
syntax = "proto2";
package k8s.io.api.coordination.v1;

message Lease {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional LeaseSpec spec = 2;
}

message LeaseSpec {
  optional string holderIdentity = 1 [(keep) = true];
  optional int32 leaseDurationSeconds = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime acquireTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime renewTime = 4;
  optional int32 leaseTransitions = 5 [(keep) = true];
  optional string strategy = 6 [(keep) = true];
  optional string preferredHolder = 7 [(keep) = true];
}
`;

export const batchV1Proto = `
syntax = "proto2";
package k8s.io.api.batch.v1;

message Job {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional JobSpec spec = 2;
  optional JobStatus status = 3;
}

message JobSpec {
  optional int32 parallelism = 1 [(keep) = true];
  optional int32 completions = 2 [(keep) = true];
  optional int64 activeDeadlineSeconds = 3 [(keep) = true];
  optional int32 backoffLimit = 7 [(keep) = true];
  optional int32 backoffLimitPerIndex = 12 [(keep) = true];
  optional int32 maxFailedIndexes = 13 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector selector = 4;
  optional bool manualSelector = 5 [(keep) = true];
  optional .k8s.io.api.core.v1.PodTemplateSpec template = 6;
  optional int32 ttlSecondsAfterFinished = 8 [(keep) = true];
  optional string completionMode = 9 [(keep) = true];
  optional bool suspend = 10 [(keep) = true];
  optional string podReplacementPolicy = 14 [(keep) = true];
  optional string managedBy = 15 [(keep) = true];
}

message JobStatus {
  repeated JobCondition conditions = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time completionTime = 3;
  optional int32 active = 4;
  optional int32 succeeded = 5;
  optional int32 failed = 6;
  optional string completedIndexes = 7;
  optional UncountedTerminatedPods uncountedTerminatedPods = 8;
  optional int32 ready = 9 [(keep) = true];
  optional string failedIndexes = 10 [(keep) = true];
  optional int32 terminating = 11 [(keep) = true];
}

message JobCondition {
  optional string type = 1;
  optional string status = 2;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message UncountedTerminatedPods {
  repeated string succeeded = 1;
  repeated string failed = 2;
}
`;

export const discoveryV1Proto = `
syntax = "proto2";
package k8s.io.api.discovery.v1;

message EndpointSlice {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional string addressType = 4;
  repeated Endpoint endpoints = 2;
  repeated EndpointPort ports = 3;
}

message Endpoint {
  repeated string addresses = 1;
  optional EndpointConditions conditions = 2;
  optional string hostname = 3 [(keep) = true];
  optional .k8s.io.api.core.v1.ObjectReference targetRef = 4;
  map<string, string> deprecatedTopology = 5;
  optional string nodeName = 6 [(keep) = true];
  optional string zone = 7 [(keep) = true];
  optional EndpointHints hints = 8;
}

message EndpointConditions {
  optional bool ready = 1 [(keep) = true];
  optional bool serving = 2 [(keep) = true];
  optional bool terminating = 3 [(keep) = true];
}

message EndpointHints {
  repeated ForZone forZones = 1;
}

message ForZone {
  optional string name = 1;
}

message EndpointPort {
  optional string name = 1 [(keep) = true];
  optional string protocol = 2 [(keep) = true];
  optional int32 port = 3 [(keep) = true];
  optional string appProtocol = 4 [(keep) = true];
}
`;
