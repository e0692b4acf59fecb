// Pod (core/v1): containers with their env, ports, resources and probes; the pod spec's
// scheduling fields; and the status the kubelet writes.

import { type Static, Type } from '@sinclair/typebox';
import { IntOrString, LabelSelector, ObjectMeta, QuantityValue, StringMap, Time, conditionSchema, objectSchema } from './meta.js';

const KeyRef = Type.Object({
  name: Type.Optional(Type.String()),
  key: Type.String(),
  optional: Type.Optional(Type.Boolean()),
});

const ObjectFieldSelector = Type.Object({ apiVersion: Type.Optional(Type.String()), fieldPath: Type.String() });

const ResourceFieldSelector = Type.Object({
  containerName: Type.Optional(Type.String()),
  resource: Type.String(),
  divisor: Type.Optional(QuantityValue),
});

export const EnvVarSource = Type.Object({
  configMapKeyRef: Type.Optional(KeyRef),
  secretKeyRef: Type.Optional(KeyRef),
  fieldRef: Type.Optional(ObjectFieldSelector),
  resourceFieldRef: Type.Optional(ResourceFieldSelector),
});

export const EnvVar = Type.Object({
  name: Type.String(),
  value: Type.Optional(Type.String()),
  valueFrom: Type.Optional(EnvVarSource),
});
export type EnvVar = Static<typeof EnvVar>;

const NamedRef = Type.Object({ name: Type.Optional(Type.String()), optional: Type.Optional(Type.Boolean()) });

export const EnvFromSource = Type.Object({
  prefix: Type.Optional(Type.String()),
  configMapRef: Type.Optional(NamedRef),
  secretRef: Type.Optional(NamedRef),
});
export type EnvFromSource = Static<typeof EnvFromSource>;

export const ContainerPort = Type.Object({
  name: Type.Optional(Type.String()),
  containerPort: Type.Integer(),
  hostPort: Type.Optional(Type.Integer()),
  hostIP: Type.Optional(Type.String()),
  protocol: Type.Optional(Type.String()),
});
export type ContainerPort = Static<typeof ContainerPort>;

export const ResourceList = Type.Record(Type.String(), QuantityValue);

export const ResourceRequirements = Type.Object({
  limits: Type.Optional(ResourceList),
  requests: Type.Optional(ResourceList),
});

export const HTTPGetAction = Type.Object({
  path: Type.Optional(Type.String()),
  port: IntOrString,
  host: Type.Optional(Type.String()),
  scheme: Type.Optional(Type.String()),
  httpHeaders: Type.Optional(Type.Array(Type.Object({ name: Type.String(), value: Type.String() }))),
});

export const ExecAction = Type.Object({ command: Type.Optional(Type.Array(Type.String())) });

export const TCPSocketAction = Type.Object({ port: IntOrString, host: Type.Optional(Type.String()) });

export const GRPCAction = Type.Object({ port: Type.Integer(), service: Type.Optional(Type.String()) });

export const Probe = Type.Object({
  exec: Type.Optional(ExecAction),
  httpGet: Type.Optional(HTTPGetAction),
  tcpSocket: Type.Optional(TCPSocketAction),
  grpc: Type.Optional(GRPCAction),
  initialDelaySeconds: Type.Optional(Type.Integer()),
  timeoutSeconds: Type.Optional(Type.Integer()),
  periodSeconds: Type.Optional(Type.Integer()),
  successThreshold: Type.Optional(Type.Integer()),
  failureThreshold: Type.Optional(Type.Integer()),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer()),
});
export type Probe = Static<typeof Probe>;

export const VolumeMount = Type.Object({
  name: Type.String(),
  mountPath: Type.String(),
  readOnly: Type.Optional(Type.Boolean()),
  subPath: Type.Optional(Type.String()),
  subPathExpr: Type.Optional(Type.String()),
  mountPropagation: Type.Optional(Type.String()),
});

export const VolumeDevice = Type.Object({ name: Type.String(), devicePath: Type.String() });

/** How a container takes a change of its resources in place (upstream's InPlacePodVerticalScaling). */
export const ContainerResizePolicy = Type.Object({ resourceName: Type.String(), restartPolicy: Type.String() });

const LifecycleHandler = Type.Object({
  exec: Type.Optional(ExecAction),
  httpGet: Type.Optional(HTTPGetAction),
  tcpSocket: Type.Optional(TCPSocketAction),
  sleep: Type.Optional(Type.Object({ seconds: Type.Integer() })),
});

export const Container = Type.Object({
  name: Type.String(),
  image: Type.Optional(Type.String()),
  command: Type.Optional(Type.Array(Type.String())),
  args: Type.Optional(Type.Array(Type.String())),
  workingDir: Type.Optional(Type.String()),
  ports: Type.Optional(Type.Array(ContainerPort)),
  envFrom: Type.Optional(Type.Array(EnvFromSource)),
  env: Type.Optional(Type.Array(EnvVar)),
  resources: Type.Optional(ResourceRequirements),
  volumeMounts: Type.Optional(Type.Array(VolumeMount)),
  volumeDevices: Type.Optional(Type.Array(VolumeDevice)),
  resizePolicy: Type.Optional(Type.Array(ContainerResizePolicy)),
  /** Only on init containers, and only `Always`: a sidecar that runs for the pod's life. */
  restartPolicy: Type.Optional(Type.String()),
  livenessProbe: Type.Optional(Probe),
  readinessProbe: Type.Optional(Probe),
  startupProbe: Type.Optional(Probe),
  lifecycle: Type.Optional(
    Type.Object({ postStart: Type.Optional(LifecycleHandler), preStop: Type.Optional(LifecycleHandler) }),
  ),
  terminationMessagePath: Type.Optional(Type.String()),
  terminationMessagePolicy: Type.Optional(Type.String()),
  imagePullPolicy: Type.Optional(Type.String()),
  securityContext: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  stdin: Type.Optional(Type.Boolean()),
  stdinOnce: Type.Optional(Type.Boolean()),
  tty: Type.Optional(Type.Boolean()),
});
export type Container = Static<typeof Container>;

export const Toleration = Type.Object({
  key: Type.Optional(Type.String()),
  operator: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  effect: Type.Optional(Type.String()),
  tolerationSeconds: Type.Optional(Type.Integer()),
});
export type Toleration = Static<typeof Toleration>;

const KeyToPath = Type.Object({ key: Type.String(), path: Type.String(), mode: Type.Optional(Type.Integer()) });

const LocalObjectReference = Type.Object({ name: Type.Optional(Type.String()) });

const DownwardAPIVolumeFile = Type.Object({
  path: Type.String(),
  fieldRef: Type.Optional(ObjectFieldSelector),
  resourceFieldRef: Type.Optional(ResourceFieldSelector),
  mode: Type.Optional(Type.Integer()),
});

const ConfigMapOrSecretProjection = Type.Object({
  name: Type.Optional(Type.String()),
  items: Type.Optional(Type.Array(KeyToPath)),
  optional: Type.Optional(Type.Boolean()),
});

export const VolumeProjection = Type.Object({
  secret: Type.Optional(ConfigMapOrSecretProjection),
  configMap: Type.Optional(ConfigMapOrSecretProjection),
  downwardAPI: Type.Optional(Type.Object({ items: Type.Optional(Type.Array(DownwardAPIVolumeFile)) })),
  serviceAccountToken: Type.Optional(
    Type.Object({ audience: Type.Optional(Type.String()), expirationSeconds: Type.Optional(Type.Integer()), path: Type.String() }),
  ),
});

export const Volume = Type.Object({
  name: Type.String(),
  emptyDir: Type.Optional(Type.Object({ medium: Type.Optional(Type.String()), sizeLimit: Type.Optional(QuantityValue) })),
  hostPath: Type.Optional(Type.Object({ path: Type.String(), type: Type.Optional(Type.String()) })),
  configMap: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String()),
      items: Type.Optional(Type.Array(KeyToPath)),
      defaultMode: Type.Optional(Type.Integer()),
      optional: Type.Optional(Type.Boolean()),
    }),
  ),
  secret: Type.Optional(
    Type.Object({
      secretName: Type.Optional(Type.String()),
      items: Type.Optional(Type.Array(KeyToPath)),
      defaultMode: Type.Optional(Type.Integer()),
      optional: Type.Optional(Type.Boolean()),
    }),
  ),
  downwardAPI: Type.Optional(Type.Object({ items: Type.Optional(Type.Array(DownwardAPIVolumeFile)), defaultMode: Type.Optional(Type.Integer()) })),
  projected: Type.Optional(Type.Object({ sources: Type.Optional(Type.Array(VolumeProjection)), defaultMode: Type.Optional(Type.Integer()) })),
  persistentVolumeClaim: Type.Optional(Type.Object({ claimName: Type.String(), readOnly: Type.Optional(Type.Boolean()) })),
  nfs: Type.Optional(Type.Object({ server: Type.String(), path: Type.String(), readOnly: Type.Optional(Type.Boolean()) })),
  csi: Type.Optional(
    Type.Object({
      driver: Type.String(),
      readOnly: Type.Optional(Type.Boolean()),
      fsType: Type.Optional(Type.String()),
      volumeAttributes: Type.Optional(StringMap),
      nodePublishSecretRef: Type.Optional(LocalObjectReference),
    }),
  ),
});
export type Volume = Static<typeof Volume>;

/** The volume sources a Volume may name, one per volume. */
export const volumeSources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim', 'nfs', 'csi'] as const;

export const TopologySpreadConstraint = Type.Object({
  maxSkew: Type.Integer(),
  topologyKey: Type.String(),
  whenUnsatisfiable: Type.String(),
  labelSelector: Type.Optional(LabelSelector),
  minDomains: Type.Optional(Type.Integer()),
  nodeAffinityPolicy: Type.Optional(Type.String()),
  nodeTaintsPolicy: Type.Optional(Type.String()),
  matchLabelKeys: Type.Optional(Type.Array(Type.String())),
});
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraint>;

export const PodDNSConfig = Type.Object({
  nameservers: Type.Optional(Type.Array(Type.String())),
  searches: Type.Optional(Type.Array(Type.String())),
  options: Type.Optional(Type.Array(Type.Object({ name: Type.Optional(Type.String()), value: Type.Optional(Type.String()) }))),
});
export type PodDNSConfig = Static<typeof PodDNSConfig>;

export const HostAlias = Type.Object({ ip: Type.String(), hostnames: Type.Optional(Type.Array(Type.String())) });

export const PodSpec = Type.Object({
  volumes: Type.Optional(Type.Array(Volume)),
  initContainers: Type.Optional(Type.Array(Container)),
  containers: Type.Array(Container),
  restartPolicy: Type.Optional(Type.String()),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer()),
  activeDeadlineSeconds: Type.Optional(Type.Integer()),
  dnsPolicy: Type.Optional(Type.String()),
  nodeSelector: Type.Optional(StringMap),
  serviceAccountName: Type.Optional(Type.String()),
  nodeName: Type.Optional(Type.String()),
  hostNetwork: Type.Optional(Type.Boolean()),
  hostname: Type.Optional(Type.String()),
  subdomain: Type.Optional(Type.String()),
  affinity: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  schedulerName: Type.Optional(Type.String()),
  tolerations: Type.Optional(Type.Array(Toleration)),
  priorityClassName: Type.Optional(Type.String()),
  priority: Type.Optional(Type.Integer()),
  enableServiceLinks: Type.Optional(Type.Boolean()),
  securityContext: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  serviceAccount: Type.Optional(Type.String()),
  automountServiceAccountToken: Type.Optional(Type.Boolean()),
  imagePullSecrets: Type.Optional(Type.Array(LocalObjectReference)),
  hostAliases: Type.Optional(Type.Array(HostAlias)),
  dnsConfig: Type.Optional(PodDNSConfig),
  hostPID: Type.Optional(Type.Boolean()),
  hostIPC: Type.Optional(Type.Boolean()),
  shareProcessNamespace: Type.Optional(Type.Boolean()),
  setHostnameAsFQDN: Type.Optional(Type.Boolean()),
  hostUsers: Type.Optional(Type.Boolean()),
  topologySpreadConstraints: Type.Optional(Type.Array(TopologySpreadConstraint)),
  readinessGates: Type.Optional(Type.Array(Type.Object({ conditionType: Type.String() }))),
  schedulingGates: Type.Optional(Type.Array(Type.Object({ name: Type.String() }))),
  preemptionPolicy: Type.Optional(Type.String()),
  overhead: Type.Optional(ResourceList),
  runtimeClassName: Type.Optional(Type.String()),
  os: Type.Optional(Type.Object({ name: Type.String() })),
});
export type PodSpec = Static<typeof PodSpec>;

export const ContainerState = Type.Object({
  waiting: Type.Optional(Type.Object({ reason: Type.Optional(Type.String()), message: Type.Optional(Type.String()) })),
  running: Type.Optional(Type.Object({ startedAt: Type.Optional(Time) })),
  terminated: Type.Optional(
    Type.Object({
      exitCode: Type.Integer(),
      signal: Type.Optional(Type.Integer()),
      reason: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
      startedAt: Type.Optional(Time),
      finishedAt: Type.Optional(Time),
      containerID: Type.Optional(Type.String()),
    }),
  ),
});
export type ContainerState = Static<typeof ContainerState>;

export const ContainerStatus = Type.Object({
  name: Type.String(),
  state: Type.Optional(ContainerState),
  lastState: Type.Optional(ContainerState),
  ready: Type.Boolean(),
  restartCount: Type.Integer(),
  image: Type.String(),
  imageID: Type.String(),
  containerID: Type.Optional(Type.String()),
  started: Type.Optional(Type.Boolean()),
});
export type ContainerStatus = Static<typeof ContainerStatus>;

const PodIP = Type.Object({ ip: Type.String() });

export const PodStatus = Type.Object({
  phase: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastProbeTime: Type.Optional(Type.Union([Time, Type.Null()])) }))),
  message: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  nominatedNodeName: Type.Optional(Type.String()),
  hostIP: Type.Optional(Type.String()),
  hostIPs: Type.Optional(Type.Array(PodIP)),
  podIP: Type.Optional(Type.String()),
  podIPs: Type.Optional(Type.Array(PodIP)),
  startTime: Type.Optional(Time),
  initContainerStatuses: Type.Optional(Type.Array(ContainerStatus)),
  containerStatuses: Type.Optional(Type.Array(ContainerStatus)),
  qosClass: Type.Optional(Type.String()),
});
export type PodStatus = Static<typeof PodStatus>;

export const Pod = objectSchema(
  'Pod',
  { spec: Type.Optional(PodSpec), status: Type.Optional(PodStatus) },
  'A group of containers, run as processes on one node.',
);
export type Pod = Static<typeof Pod>;

export const PodTemplateSpec = Type.Object({
  metadata: Type.Optional(ObjectMeta),
  spec: Type.Optional(PodSpec),
});
export type PodTemplateSpec = Static<typeof PodTemplateSpec>;
