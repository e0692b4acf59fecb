// Pod (core/v1): containers with their env, ports, resources and probes; the pod spec's
// scheduling fields; and the status the kubelet writes.

import { type Static, Type } from '@sinclair/typebox';
import { IntOrString, LabelSelector, ObjectMeta, QuantityValue, StringMap, Time, conditionSchema, objectSchema } from './meta.js';
import { described } from './describe.js';

const KeyRef = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the ConfigMap or Secret, in the pod\'s namespace.' })),
  key: Type.String({ description: 'The key whose value is taken.' }),
  optional: Type.Optional(Type.Boolean({ description: 'If true, a missing object or key leaves the variable unset instead of keeping the container from starting. Default false.' })),
}, { description: 'One key of a ConfigMap or Secret.' });

const ObjectFieldSelector = Type.Object({
  apiVersion: Type.Optional(Type.String({ description: 'The API version fieldPath is written in. Defaults to v1.' })),
  fieldPath: Type.String({ description: 'The field of the pod to read, such as metadata.name, metadata.labels[\'app\'], status.podIP or spec.nodeName.' }),
}, { description: 'A field of the pod itself.' });

const ResourceFieldSelector = Type.Object({
  containerName: Type.Optional(Type.String({ description: 'The container whose resources are read; required in volumes, defaults to this container in env.' })),
  resource: Type.String({ description: 'The resource to read: limits.cpu, limits.memory, requests.cpu, requests.memory, limits.ephemeral-storage or requests.ephemeral-storage.' }),
  divisor: Type.Optional(described(QuantityValue, 'The unit the value is given in, such as 1m or 1Mi. Defaults to 1.')),
}, { description: 'A resource limit or request of a container.' });

export const EnvVarSource = Type.Object({
  configMapKeyRef: Type.Optional(described(KeyRef, 'Takes the value from a key of a ConfigMap.')),
  secretKeyRef: Type.Optional(described(KeyRef, 'Takes the value from a key of a Secret.')),
  fieldRef: Type.Optional(described(ObjectFieldSelector, 'Takes the value from a field of the pod, such as metadata.name or status.podIP.')),
  resourceFieldRef: Type.Optional(described(ResourceFieldSelector, 'Takes the value from a resource limit or request of a container.')),
}, { description: 'Where the value of a variable comes from; exactly one source.' });

export const EnvVar = Type.Object({
  name: Type.String({ description: 'The name of the environment variable.' }),
  value: Type.Optional(Type.String({ description: 'The value; $(VAR) expands earlier variables of the container and $$ is a literal $. Defaults to the empty string.' })),
  valueFrom: Type.Optional(described(EnvVarSource, 'Where to take the value from, instead of value.')),
}, { description: 'One environment variable of a container.' });
export type EnvVar = Static<typeof EnvVar>;

const NamedRef = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the object, in the pod\'s namespace.' })),
  optional: Type.Optional(Type.Boolean({ description: 'If true, a missing object is ignored instead of keeping the container from starting. Default false.' })),
}, { description: 'A ConfigMap or Secret by name.' });

export const EnvFromSource = Type.Object({
  prefix: Type.Optional(Type.String({ description: 'A prefix put before every key to make the variable name.' })),
  configMapRef: Type.Optional(described(NamedRef, 'A ConfigMap each of whose keys becomes a variable.')),
  secretRef: Type.Optional(described(NamedRef, 'A Secret each of whose keys becomes a variable.')),
}, { description: 'A ConfigMap or Secret whose keys all become environment variables.' });
export type EnvFromSource = Static<typeof EnvFromSource>;

export const ContainerPort = Type.Object({
  name: Type.Optional(Type.String({ description: 'A name for the port (an IANA service name, at most 15 characters), unique in the pod, that Services can target.' })),
  containerPort: Type.Integer({ description: 'The port the container listens on, 1-65535.' }),
  hostPort: Type.Optional(Type.Integer({ description: 'A port of the node to expose this port on, 1-65535; rarely needed. With hostNetwork it must equal containerPort.' })),
  hostIP: Type.Optional(Type.String({ description: 'The node address to bind hostPort to.' })),
  protocol: Type.Optional(Type.String({ description: 'TCP, UDP or SCTP. Default TCP.' })),
}, { description: 'A network port a container listens on.' });
export type ContainerPort = Static<typeof ContainerPort>;

export const ResourceList = Type.Record(Type.String(), QuantityValue, { description: 'Amounts by resource name: cpu (in cores, 500m is half a core), memory (in bytes, such as 128Mi), ephemeral-storage, pods ...' });

export const ResourceRequirements = Type.Object({
  limits: Type.Optional(described(ResourceList, 'The most the container may use of each resource, such as cpu: 500m or memory: 128Mi.')),
  requests: Type.Optional(described(ResourceList, 'What the container is guaranteed and the scheduler reserves for it. Defaults to limits where only limits are set.')),
}, { description: 'The compute resources a container asks for and may use.' });

export const HTTPGetAction = Type.Object({
  path: Type.Optional(Type.String({ description: 'The path to request. Default /.' })),
  port: described(IntOrString, 'The port to connect to: a number (1-65535) or the name of a container port.'),
  host: Type.Optional(Type.String({ description: 'The host to connect to. Defaults to the pod IP.' })),
  scheme: Type.Optional(Type.String({ description: 'HTTP or HTTPS. Default HTTP.' })),
  httpHeaders: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ description: 'The header name.' }),
    value: Type.String({ description: 'The header value.' }),
  }, { description: 'One HTTP header.' }), { description: 'Extra headers to send with the request.' })),
}, { description: 'An HTTP GET request; a status from 200 to 399 counts as success.' });

export const ExecAction = Type.Object({
  command: Type.Optional(Type.Array(Type.String(), { description: 'The command and its arguments, run in the container without a shell; exit status 0 counts as success.' })),
}, { description: 'A command run inside the container.' });

export const TCPSocketAction = Type.Object({
  port: described(IntOrString, 'The port to connect to: a number (1-65535) or the name of a container port.'),
  host: Type.Optional(Type.String({ description: 'The host to connect to. Defaults to the pod IP.' })),
}, { description: 'A TCP connection; success is the connection opening.' });

export const GRPCAction = Type.Object({
  port: Type.Integer({ description: 'The port of the gRPC server, 1-65535.' }),
  service: Type.Optional(Type.String({ description: 'The service name sent in the gRPC health check request. Defaults to the empty name (the server as a whole).' })),
}, { description: 'A call of the standard gRPC health checking protocol.' });

export const Probe = Type.Object({
  exec: Type.Optional(described(ExecAction, 'Runs a command in the container; exit status 0 is success.')),
  httpGet: Type.Optional(described(HTTPGetAction, 'Sends an HTTP GET; a status from 200 to 399 is success.')),
  tcpSocket: Type.Optional(described(TCPSocketAction, 'Opens a TCP connection; success is the connection opening.')),
  grpc: Type.Optional(described(GRPCAction, 'Calls the gRPC health checking service; SERVING is success.')),
  initialDelaySeconds: Type.Optional(Type.Integer({ description: 'Seconds after the container starts before the first probe. Default 0.' })),
  timeoutSeconds: Type.Optional(Type.Integer({ description: 'Seconds after which a probe counts as failed. Default 1, minimum 1.' })),
  periodSeconds: Type.Optional(Type.Integer({ description: 'Seconds between probes. Default 10, minimum 1.' })),
  successThreshold: Type.Optional(Type.Integer({ description: 'Successes in a row, after a failure, for the probe to pass again. Default 1; must be 1 for liveness and startup probes.' })),
  failureThreshold: Type.Optional(Type.Integer({ description: 'Failures in a row for the probe to fail. Default 3, minimum 1.' })),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer({ description: 'Seconds the container gets to stop after this probe fails, overriding the pod\'s terminationGracePeriodSeconds; liveness and startup probes only.' })),
}, { description: 'A periodic check of a container, by exactly one of exec, httpGet, tcpSocket or grpc.' });
export type Probe = Static<typeof Probe>;

export const VolumeMount = Type.Object({
  name: Type.String({ description: 'The name of a volume of the pod.' }),
  mountPath: Type.String({ description: 'Where in the container the volume appears; an absolute path without \':\'.' }),
  readOnly: Type.Optional(Type.Boolean({ description: 'If true, the volume is mounted read-only. Default false.' })),
  subPath: Type.Optional(Type.String({ description: 'A path inside the volume to mount instead of its root. Default empty (the root).' })),
  subPathExpr: Type.Optional(Type.String({ description: 'Like subPath, with $(VAR) expanded from the container\'s environment; not with subPath.' })),
  mountPropagation: Type.Optional(Type.String({ description: 'How mounts propagate between host and container: None (the default), HostToContainer or Bidirectional.' })),
}, { description: 'A volume of the pod mounted into a container.' });

export const VolumeDevice = Type.Object({
  name: Type.String({ description: 'The name of a persistentVolumeClaim volume of the pod.' }),
  devicePath: Type.String({ description: 'The path in the container the block device appears at.' }),
}, { description: 'A raw block volume made available to a container as a device.' });

/** How a container takes a change of its resources in place (upstream's InPlacePodVerticalScaling). */
export const ContainerResizePolicy = Type.Object({
  resourceName: Type.String({ description: 'The resource the policy is for: cpu or memory.' }),
  restartPolicy: Type.String({ description: 'NotRequired (the default: resize the running container) or RestartContainer.' }),
}, { description: 'What happens to a container when one of its resources is resized.' });

const LifecycleHandler = Type.Object({
  exec: Type.Optional(described(ExecAction, 'Runs a command in the container.')),
  httpGet: Type.Optional(described(HTTPGetAction, 'Sends an HTTP GET to the container.')),
  tcpSocket: Type.Optional(described(TCPSocketAction, 'Deprecated and not supported as a hook: kept so that old objects still decode.')),
  sleep: Type.Optional(Type.Object({
    seconds: Type.Integer({ description: 'How many seconds to sleep.' }),
  }, { description: 'Waits a number of seconds.' })),
}, { description: 'An action run at a point of the container\'s life, by exactly one of exec, httpGet or sleep.' });

export const Container = Type.Object({
  name: Type.String({ description: 'The name of the container, a DNS label unique in the pod; it cannot be changed.' }),
  image: Type.Optional(Type.String({ description: 'The image to run, such as nginx:1.27; in kubets it names what the process runtime runs.' })),
  command: Type.Optional(Type.Array(Type.String(), { description: 'The program to run, with no shell; $(VAR) expands the container\'s variables. Defaults to the image\'s entrypoint.' })),
  args: Type.Optional(Type.Array(Type.String(), { description: 'The arguments to the program; $(VAR) expands the container\'s variables. Defaults to the image\'s arguments.' })),
  workingDir: Type.Optional(Type.String({ description: 'The directory the program starts in. Defaults to the image\'s.' })),
  ports: Type.Optional(Type.Array(ContainerPort, { description: 'The ports the container listens on; informational, except that Services can target them by name.' })),
  envFrom: Type.Optional(Type.Array(EnvFromSource, { description: 'ConfigMaps and Secrets whose keys all become variables; env wins on a clash, and later sources over earlier ones.' })),
  env: Type.Optional(Type.Array(EnvVar, { description: 'Environment variables to set in the container.' })),
  resources: Type.Optional(described(ResourceRequirements, 'The CPU and memory (and other resources) the container requests and may use at most.')),
  volumeMounts: Type.Optional(Type.Array(VolumeMount, { description: 'Volumes of the pod to mount into the container\'s filesystem.' })),
  volumeDevices: Type.Optional(Type.Array(VolumeDevice, { description: 'Block volumes of the pod to make available as devices.' })),
  resizePolicy: Type.Optional(Type.Array(ContainerResizePolicy, { description: 'Whether a change of each resource needs a restart of the container.' })),
  /** Only on init containers, and only `Always`: a sidecar that runs for the pod's life. */
  restartPolicy: Type.Optional(Type.String({ description: 'Init containers only: Always makes it a sidecar that starts before the app containers and runs for the pod\'s life.' })),
  livenessProbe: Type.Optional(described(Probe, 'Checks that the container is alive; the kubelet restarts the container when it fails.')),
  readinessProbe: Type.Optional(described(Probe, 'Checks that the container can serve; while it fails, the pod is not Ready and Services send it no traffic.')),
  startupProbe: Type.Optional(described(Probe, 'Checks that the container has started; the other probes wait until it succeeds, and failing it restarts the container.')),
  lifecycle: Type.Optional(
    Type.Object({
      postStart: Type.Optional(described(LifecycleHandler, 'Runs right after the container starts; if it fails, the container is restarted.')),
      preStop: Type.Optional(described(LifecycleHandler, 'Runs before the container is stopped; the grace period counts down meanwhile.')),
    }, { description: 'Actions run when the container starts and before it stops.' }),
  ),
  terminationMessagePath: Type.Optional(Type.String({ description: 'A file whose content becomes the container\'s termination message. Default /dev/termination-log.' })),
  terminationMessagePolicy: Type.Optional(Type.String({ description: 'File (the default: only terminationMessagePath) or FallbackToLogsOnError (the end of the log when that file is empty and the container failed).' })),
  imagePullPolicy: Type.Optional(Type.String({ description: 'Always, Never or IfNotPresent. Defaults to Always for the :latest tag (or none), IfNotPresent otherwise.' })),
  securityContext: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Security options of the container (runAsUser, runAsNonRoot, privileged, capabilities ...), over the pod\'s securityContext.' })),
  stdin: Type.Optional(Type.Boolean({ description: 'If true, the container has an open stdin (for kubectl attach); otherwise reads get EOF. Default false.' })),
  stdinOnce: Type.Optional(Type.Boolean({ description: 'If true, stdin closes after the first attached client disconnects. Default false.' })),
  tty: Type.Optional(Type.Boolean({ description: 'If true, the container gets a terminal; needs stdin. Default false.' })),
}, { description: 'A program to run in the pod, with its environment, resources, ports and probes.' });
export type Container = Static<typeof Container>;

export const Toleration = Type.Object({
  key: Type.Optional(Type.String({ description: 'The taint key tolerated; empty with operator Exists tolerates every taint.' })),
  operator: Type.Optional(Type.String({ description: 'Equal (key and value must match) or Exists (any value). Default Equal.' })),
  value: Type.Optional(Type.String({ description: 'The taint value tolerated, with operator Equal; empty with Exists.' })),
  effect: Type.Optional(Type.String({ description: 'The taint effect tolerated: NoSchedule, PreferNoSchedule or NoExecute; empty means all.' })),
  tolerationSeconds: Type.Optional(Type.Integer({ description: 'NoExecute only: seconds the pod may stay on a node after the taint appears. Unset means forever.' })),
}, { description: 'Lets the pod run on nodes with a matching taint.' });
export type Toleration = Static<typeof Toleration>;

const KeyToPath = Type.Object({
  key: Type.String({ description: 'The key to project.' }),
  path: Type.String({ description: 'The relative path of the file to write it to; no .. elements.' }),
  mode: Type.Optional(Type.Integer({ description: 'The file mode bits, 0 to 0777 (octal). Defaults to the volume\'s defaultMode.' })),
}, { description: 'One key of a ConfigMap or Secret written as a file.' });

export const LocalObjectReference = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the object, in the pod\'s namespace.' })),
}, { description: 'An object in the same namespace, by name.' });

const DownwardAPIVolumeFile = Type.Object({
  path: Type.String({ description: 'The relative path of the file; no .. elements.' }),
  fieldRef: Type.Optional(described(ObjectFieldSelector, 'Writes a field of the pod: metadata.name, metadata.namespace, metadata.uid, metadata.labels or metadata.annotations.')),
  resourceFieldRef: Type.Optional(described(ResourceFieldSelector, 'Writes a resource limit or request of a container.')),
  mode: Type.Optional(Type.Integer({ description: 'The file mode bits, 0 to 0777 (octal). Defaults to the volume\'s defaultMode.' })),
}, { description: 'One file with information about the pod.' });

const ConfigMapOrSecretProjection = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the object, in the pod\'s namespace.' })),
  items: Type.Optional(Type.Array(KeyToPath, { description: 'Which keys to write, and where; by default every key, each as a file named after it.' })),
  optional: Type.Optional(Type.Boolean({ description: 'If true, a missing object or key is skipped instead of keeping the pod from starting. Default false.' })),
}, { description: 'The keys of a ConfigMap or Secret, written as files.' });

export const VolumeProjection = Type.Object({
  secret: Type.Optional(described(ConfigMapOrSecretProjection, 'The keys of a Secret.')),
  configMap: Type.Optional(described(ConfigMapOrSecretProjection, 'The keys of a ConfigMap.')),
  downwardAPI: Type.Optional(Type.Object({
    items: Type.Optional(Type.Array(DownwardAPIVolumeFile, { description: 'The files to write.' })),
  }, { description: 'Information about the pod.' })),
  serviceAccountToken: Type.Optional(
    Type.Object({
      audience: Type.Optional(Type.String({ description: 'Who the token is meant for. Defaults to the API server.' })),
      expirationSeconds: Type.Optional(Type.Integer({ description: 'How long the token is valid, in seconds; at least 600. Default 3600.' })),
      path: Type.String({ description: 'The relative path of the token file.' }),
    }, { description: 'A token of the pod\'s service account.' }),
  ),
}, { description: 'One source of a projected volume; exactly one of its fields.' });

const defaultMode = () => Type.Integer({ description: 'The mode bits of the files written, 0 to 0777 (octal). Default 0644.' });

export const Volume = Type.Object({
  name: Type.String({ description: 'The name of the volume, a DNS label unique in the pod; volumeMounts refer to it.' }),
  emptyDir: Type.Optional(Type.Object({
    medium: Type.Optional(Type.String({ description: 'Where the directory lives: empty (the default: the node\'s disk) or Memory (a tmpfs).' })),
    sizeLimit: Type.Optional(described(QuantityValue, 'The most the directory may hold, such as 1Gi. Default: no limit of its own.')),
  }, { description: 'An empty directory, created with the pod and deleted with it.' })),
  hostPath: Type.Optional(Type.Object({
    path: Type.String({ description: 'The path on the node.' }),
    type: Type.Optional(Type.String({ description: 'What must be at the path: empty (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.' })),
  }, { description: 'A file or directory of the node itself.' })),
  configMap: Type.Optional(
    Type.Object({
      name: Type.Optional(Type.String({ description: 'The name of the ConfigMap, in the pod\'s namespace.' })),
      items: Type.Optional(Type.Array(KeyToPath, { description: 'Which keys to write, and where; by default every key, each as a file named after it.' })),
      defaultMode: Type.Optional(defaultMode()),
      optional: Type.Optional(Type.Boolean({ description: 'If true, a missing ConfigMap or key is skipped instead of keeping the pod from starting. Default false.' })),
    }, { description: 'The keys of a ConfigMap, as files.' }),
  ),
  secret: Type.Optional(
    Type.Object({
      secretName: Type.Optional(Type.String({ description: 'The name of the Secret, in the pod\'s namespace.' })),
      items: Type.Optional(Type.Array(KeyToPath, { description: 'Which keys to write, and where; by default every key, each as a file named after it.' })),
      defaultMode: Type.Optional(defaultMode()),
      optional: Type.Optional(Type.Boolean({ description: 'If true, a missing Secret or key is skipped instead of keeping the pod from starting. Default false.' })),
    }, { description: 'The keys of a Secret, as files.' }),
  ),
  downwardAPI: Type.Optional(Type.Object({
    items: Type.Optional(Type.Array(DownwardAPIVolumeFile, { description: 'The files to write.' })),
    defaultMode: Type.Optional(defaultMode()),
  }, { description: 'Information about the pod (its name, labels, resources ...), as files.' })),
  projected: Type.Optional(Type.Object({
    sources: Type.Optional(Type.Array(VolumeProjection, { description: 'What to put in the directory, from several sources.' })),
    defaultMode: Type.Optional(defaultMode()),
  }, { description: 'Secrets, ConfigMaps, pod information and service account tokens together in one directory.' })),
  persistentVolumeClaim: Type.Optional(Type.Object({
    claimName: Type.String({ description: 'The name of the PersistentVolumeClaim, in the pod\'s namespace.' }),
    readOnly: Type.Optional(Type.Boolean({ description: 'If true, the volume is mounted read-only. Default false.' })),
  }, { description: 'The volume bound to a PersistentVolumeClaim.' })),
  nfs: Type.Optional(Type.Object({
    server: Type.String({ description: 'The host name or address of the NFS server.' }),
    path: Type.String({ description: 'The path the server exports.' }),
    readOnly: Type.Optional(Type.Boolean({ description: 'If true, the share is mounted read-only. Default false.' })),
  }, { description: 'An NFS share.' })),
  csi: Type.Optional(
    Type.Object({
      driver: Type.String({ description: 'The name of the CSI driver that provides the volume.' }),
      readOnly: Type.Optional(Type.Boolean({ description: 'If true, the volume is mounted read-only. Default false.' })),
      fsType: Type.Optional(Type.String({ description: 'The filesystem to mount, such as ext4; the driver chooses by default.' })),
      volumeAttributes: Type.Optional(described(StringMap, 'Driver-specific settings.')),
      nodePublishSecretRef: Type.Optional(described(LocalObjectReference, 'A Secret with what the driver needs to mount the volume.')),
    }, { description: 'A volume from a CSI driver, living as long as the pod.' }),
  ),
}, { description: 'A directory the pod\'s containers can mount, from exactly one source.' });
export type Volume = Static<typeof Volume>;

/** The volume sources a Volume may name, one per volume. */
export const volumeSources = ['emptyDir', 'hostPath', 'configMap', 'secret', 'downwardAPI', 'projected', 'persistentVolumeClaim', 'nfs', 'csi'] as const;

export const TopologySpreadConstraint = Type.Object({
  maxSkew: Type.Integer({ description: 'The largest difference allowed between the number of matching pods in any two domains; at least 1.' }),
  topologyKey: Type.String({ description: 'The node label whose values are the domains, such as topology.kubernetes.io/zone or kubernetes.io/hostname.' }),
  whenUnsatisfiable: Type.String({ description: 'DoNotSchedule (keep the pod pending) or ScheduleAnyway (only prefer the nodes that reduce the skew).' }),
  labelSelector: Type.Optional(described(LabelSelector, 'Which pods are counted in each domain.')),
  minDomains: Type.Optional(Type.Integer({ description: 'The fewest domains to spread over, with DoNotSchedule; fewer eligible domains count as having no matching pods. Default 1.' })),
  nodeAffinityPolicy: Type.Optional(Type.String({ description: 'Honor (the default: only nodes matching the pod\'s nodeSelector and affinity count) or Ignore.' })),
  nodeTaintsPolicy: Type.Optional(Type.String({ description: 'Honor (only nodes whose taints the pod tolerates count) or Ignore (the default).' })),
  matchLabelKeys: Type.Optional(Type.Array(Type.String(), { description: 'Label keys whose values, taken from the incoming pod, are added to labelSelector.' })),
}, { description: 'How to spread matching pods evenly across domains such as zones or nodes.' });
export type TopologySpreadConstraint = Static<typeof TopologySpreadConstraint>;

export const PodDNSConfig = Type.Object({
  nameservers: Type.Optional(Type.Array(Type.String(), { description: 'DNS server addresses, added to those of the dnsPolicy (at most three in all).' })),
  searches: Type.Optional(Type.Array(Type.String(), { description: 'Search domains for host name lookups, added to those of the dnsPolicy.' })),
  options: Type.Optional(Type.Array(Type.Object({
    name: Type.Optional(Type.String({ description: 'The option, such as ndots.' })),
    value: Type.Optional(Type.String({ description: 'Its value, if it takes one.' })),
  }, { description: 'One resolver option.' }), { description: 'Resolver options, merged with those of the dnsPolicy.' })),
}, { description: 'DNS settings of the pod, over those its dnsPolicy gives.' });
export type PodDNSConfig = Static<typeof PodDNSConfig>;

export const HostAlias = Type.Object({
  ip: Type.String({ description: 'The address the names resolve to.' }),
  hostnames: Type.Optional(Type.Array(Type.String(), { description: 'The host names for that address.' })),
}, { description: 'An entry of the pod\'s /etc/hosts.' });

export const PodSpec = Type.Object({
  volumes: Type.Optional(Type.Array(Volume, { description: 'The volumes the containers can mount.' })),
  initContainers: Type.Optional(Type.Array(Container, { description: 'Containers run one after another, each to success, before the app containers start (sidecars, with restartPolicy Always, keep running).' })),
  containers: Type.Array(Container, { description: 'The app containers of the pod, run together; at least one.' }),
  restartPolicy: Type.Optional(Type.String({ description: 'When the kubelet restarts exited containers: Always (the default), OnFailure or Never.' })),
  terminationGracePeriodSeconds: Type.Optional(Type.Integer({ description: 'Seconds between the stop signal and the kill when the pod is deleted; 0 kills at once. Default 30.' })),
  activeDeadlineSeconds: Type.Optional(Type.Integer({ description: 'Seconds the pod may run, counted from its start, before the kubelet fails it; a positive number.' })),
  dnsPolicy: Type.Optional(Type.String({ description: 'How the pod resolves names: ClusterFirst (the default), ClusterFirstWithHostNet, Default (the node\'s) or None (dnsConfig only).' })),
  nodeSelector: Type.Optional(described(StringMap, 'Labels a node must have for the pod to be scheduled onto it.')),
  serviceAccountName: Type.Optional(Type.String({ description: 'The service account the pod runs as. Default: default.' })),
  nodeName: Type.Optional(Type.String({ description: 'The node the pod runs on; set by the scheduler (through a Binding), or by hand to skip scheduling.' })),
  hostNetwork: Type.Optional(Type.Boolean({ description: 'If true, the pod uses the node\'s network and address instead of its own. Default false.' })),
  hostname: Type.Optional(Type.String({ description: 'The host name of the pod. Defaults to the pod\'s name.' })),
  subdomain: Type.Optional(Type.String({ description: 'If set, the pod\'s full name is <hostname>.<subdomain>.<namespace>.svc.<cluster domain>.' })),
  affinity: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Scheduling constraints: nodeAffinity (which nodes), podAffinity and podAntiAffinity (near or away from which pods).' })),
  schedulerName: Type.Optional(Type.String({ description: 'The scheduler that places the pod. Default default-scheduler.' })),
  tolerations: Type.Optional(Type.Array(Toleration, { description: 'The node taints the pod tolerates.' })),
  priorityClassName: Type.Optional(Type.String({ description: 'The PriorityClass giving the pod\'s priority, such as system-node-critical.' })),
  priority: Type.Optional(Type.Integer({ description: 'The pod\'s priority, from its priorityClassName; a higher one schedules first and may preempt lower ones.' })),
  enableServiceLinks: Type.Optional(Type.Boolean({ description: 'If true, the containers get <SERVICE>_SERVICE_HOST-style variables for the Services of the namespace. Default true.' })),
  securityContext: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Security options for every container of the pod (runAsUser, runAsGroup, fsGroup, seccompProfile ...).' })),
  serviceAccount: Type.Optional(Type.String({ description: 'Deprecated: the old name of serviceAccountName.' })),
  automountServiceAccountToken: Type.Optional(Type.Boolean({ description: 'Whether the service account\'s token is mounted into the containers. Defaults to the service account\'s setting.' })),
  imagePullSecrets: Type.Optional(Type.Array(LocalObjectReference, { description: 'Secrets with registry credentials for pulling the images.' })),
  hostAliases: Type.Optional(Type.Array(HostAlias, { description: 'Entries to add to the pod\'s /etc/hosts.' })),
  dnsConfig: Type.Optional(described(PodDNSConfig, 'DNS settings added to those of dnsPolicy.')),
  hostPID: Type.Optional(Type.Boolean({ description: 'If true, the pod sees the node\'s processes. Default false.' })),
  hostIPC: Type.Optional(Type.Boolean({ description: 'If true, the pod shares the node\'s IPC namespace. Default false.' })),
  shareProcessNamespace: Type.Optional(Type.Boolean({ description: 'If true, the containers of the pod see each other\'s processes. Default false.' })),
  setHostnameAsFQDN: Type.Optional(Type.Boolean({ description: 'If true, the pod\'s host name is its fully qualified domain name. Default false.' })),
  hostUsers: Type.Optional(Type.Boolean({ description: 'If false, the pod gets a user namespace of its own. Default true (the node\'s users).' })),
  topologySpreadConstraints: Type.Optional(Type.Array(TopologySpreadConstraint, { description: 'How the pod and its likes are spread across zones, nodes or other domains.' })),
  readinessGates: Type.Optional(Type.Array(Type.Object({
    conditionType: Type.String({ description: 'The type of a pod condition that must be True.' }),
  }, { description: 'One extra condition for readiness.' }), { description: 'Extra pod conditions that must be True, besides every container being ready, for the pod to be Ready.' })),
  schedulingGates: Type.Optional(Type.Array(Type.Object({
    name: Type.String({ description: 'The name of the gate.' }),
  }, { description: 'One gate.' }), { description: 'While any gate is listed, the pod is not scheduled; gates can only be removed.' })),
  preemptionPolicy: Type.Optional(Type.String({ description: 'PreemptLowerPriority (the default) or Never (the pod never evicts others to be scheduled).' })),
  overhead: Type.Optional(described(ResourceList, 'Resources the pod uses besides its containers, from its RuntimeClass.')),
  runtimeClassName: Type.Optional(Type.String({ description: 'The RuntimeClass to run the pod with. Default: the node\'s default runtime.' })),
  os: Type.Optional(Type.Object({
    name: Type.String({ description: 'linux or windows.' }),
  }, { description: 'The operating system the pod is meant for; validation then checks the fields that OS allows.' })),
}, { description: 'The desired state of a pod: its containers, volumes and how and where it runs.' });
export type PodSpec = Static<typeof PodSpec>;

export const ContainerState = Type.Object({
  waiting: Type.Optional(Type.Object({
    reason: Type.Optional(Type.String({ description: 'Why it is waiting, such as ContainerCreating, CrashLoopBackOff or ErrImagePull.' })),
    message: Type.Optional(Type.String({ description: 'More about why.' })),
  }, { description: 'The container is not running yet.' })),
  running: Type.Optional(Type.Object({
    startedAt: Type.Optional(described(Time, 'When the container last started.')),
  }, { description: 'The container is running.' })),
  terminated: Type.Optional(
    Type.Object({
      exitCode: Type.Integer({ description: 'The exit status of the container\'s process.' }),
      signal: Type.Optional(Type.Integer({ description: 'The signal that ended the process, if one did.' })),
      reason: Type.Optional(Type.String({ description: 'Why it ended, such as Completed, Error or OOMKilled.' })),
      message: Type.Optional(Type.String({ description: 'More about why, such as the termination message.' })),
      startedAt: Type.Optional(described(Time, 'When the container started.')),
      finishedAt: Type.Optional(described(Time, 'When the container ended.')),
      containerID: Type.Optional(Type.String({ description: 'The ID of the container, as <runtime>://<id>.' })),
    }, { description: 'The container ran and ended.' }),
  ),
}, { description: 'What a container is doing: exactly one of waiting, running or terminated.' });
export type ContainerState = Static<typeof ContainerState>;

export const ContainerStatus = Type.Object({
  name: Type.String({ description: 'The name of the container, as in the pod spec.' }),
  state: Type.Optional(described(ContainerState, 'What the container is doing now.')),
  lastState: Type.Optional(described(ContainerState, 'How the previous run of the container ended, if it was restarted.')),
  ready: Type.Boolean({ description: 'Whether the container passes its readiness probe (or has none and is running).' }),
  restartCount: Type.Integer({ description: 'How many times the container has been restarted.' }),
  image: Type.String({ description: 'The image the container runs.' }),
  imageID: Type.String({ description: 'The ID of that image, as the runtime knows it.' }),
  containerID: Type.Optional(Type.String({ description: 'The ID of the container, as <runtime>://<id>.' })),
  started: Type.Optional(Type.Boolean({ description: 'Whether the container has started and passed its startup probe, if it has one.' })),
}, { description: 'The observed state of one container.' });
export type ContainerStatus = Static<typeof ContainerStatus>;

const PodIP = Type.Object({ ip: Type.String({ description: 'The IP address.' }) }, { description: 'One IP address.' });

export const PodStatus = Type.Object({
  phase: Type.Optional(Type.String({ description: 'Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.' })),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastProbeTime: Type.Optional(Type.Union([Time, Type.Null()], { description: 'When the condition was last checked.' })) }), { description: 'PodScheduled, Initialized, ContainersReady and Ready, each True or False.' })),
  message: Type.Optional(Type.String({ description: 'A human-readable account of why the pod is in this state.' })),
  reason: Type.Optional(Type.String({ description: 'A short CamelCase reason for the state, such as Evicted.' })),
  nominatedNodeName: Type.Optional(Type.String({ description: 'The node the pod is expected to go to once the pods it preempts there are gone.' })),
  hostIP: Type.Optional(Type.String({ description: 'The address of the node the pod runs on.' })),
  hostIPs: Type.Optional(Type.Array(PodIP, { description: 'The addresses of that node, the first being hostIP.' })),
  podIP: Type.Optional(Type.String({ description: 'The address of the pod; empty until it has one.' })),
  podIPs: Type.Optional(Type.Array(PodIP, { description: 'The addresses of the pod, the first being podIP.' })),
  startTime: Type.Optional(described(Time, 'When the kubelet accepted the pod, before its images were pulled.')),
  initContainerStatuses: Type.Optional(Type.Array(ContainerStatus, { description: 'The state of each init container.' })),
  containerStatuses: Type.Optional(Type.Array(ContainerStatus, { description: 'The state of each app container.' })),
  qosClass: Type.Optional(Type.String({ description: 'Guaranteed, Burstable or BestEffort, from the containers\' requests and limits.' })),
}, { description: 'The observed state of a pod, written by the kubelet.' });
export type PodStatus = Static<typeof PodStatus>;

export const Pod = objectSchema(
  'Pod',
  {
    spec: Type.Optional(described(PodSpec, 'What the pod should run, and how.')),
    status: Type.Optional(described(PodStatus, 'What the pod is doing, as last observed; read-only.')),
  },
  'A group of containers, run as processes on one node.',
);
export type Pod = Static<typeof Pod>;

export const PodTemplateSpec = Type.Object({
  metadata: Type.Optional(described(ObjectMeta, 'The labels and annotations every pod made from the template gets.')),
  spec: Type.Optional(described(PodSpec, 'The spec every pod made from the template gets.')),
}, { description: 'The pods to make: their metadata and spec.' });
export type PodTemplateSpec = Static<typeof PodTemplateSpec>;
