// core/v1 messages (k8s.io.api.core.v1): the fields of our Pod, Service, Endpoints, ConfigMap,
// Secret, Namespace, Node, Event and Binding schemas, at upstream's field numbers. Pod and
// container securityContext and affinity are open objects in our schemas, so their upstream
// messages are declared in full. (keep) and (inline) are explained in meta-proto.ts.

export const coreV1Proto = `
syntax = "proto2";
package k8s.io.api.core.v1;

message Pod {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
  optional PodStatus status = 3;
}

message PodTemplateSpec {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional PodSpec spec = 2;
}

message PodSpec {
  repeated Volume volumes = 1;
  repeated Container initContainers = 20;
  repeated Container containers = 2;
  optional string restartPolicy = 3;
  optional int64 terminationGracePeriodSeconds = 4 [(keep) = true];
  optional int64 activeDeadlineSeconds = 5 [(keep) = true];
  optional string dnsPolicy = 6;
  map<string, string> nodeSelector = 7;
  optional string serviceAccountName = 8;
  optional string nodeName = 10;
  optional bool hostNetwork = 11;
  optional PodSecurityContext securityContext = 14;
  optional string hostname = 16;
  optional string subdomain = 17;
  optional Affinity affinity = 18;
  optional string schedulerName = 19;
  repeated Toleration tolerations = 22;
  optional string priorityClassName = 24;
  optional int32 priority = 25 [(keep) = true];
  optional bool enableServiceLinks = 30 [(keep) = true];
  optional string serviceAccount = 9;
  optional bool automountServiceAccountToken = 21 [(keep) = true];
  repeated LocalObjectReference imagePullSecrets = 15;
  repeated HostAlias hostAliases = 23;
  optional PodDNSConfig dnsConfig = 26;
  optional bool hostPID = 12;
  optional bool hostIPC = 13;
  optional bool shareProcessNamespace = 27 [(keep) = true];
  optional bool setHostnameAsFQDN = 35 [(keep) = true];
  repeated TopologySpreadConstraint topologySpreadConstraints = 33;
  repeated PodReadinessGate readinessGates = 28;
  optional string preemptionPolicy = 31 [(keep) = true];
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> overhead = 32;
  optional string runtimeClassName = 29 [(keep) = true];
  optional PodOS os = 36;
  optional bool hostUsers = 37 [(keep) = true];
  repeated PodSchedulingGate schedulingGates = 38;
}

message PodOS {
  optional string name = 1 [(keep) = true];
}

message PodSchedulingGate {
  optional string name = 1 [(keep) = true];
}

message ContainerResizePolicy {
  optional string resourceName = 1 [(keep) = true];
  optional string restartPolicy = 2 [(keep) = true];
}

message HostAlias {
  optional string ip = 1 [(keep) = true];
  repeated string hostnames = 2;
}

message PodDNSConfig {
  repeated string nameservers = 1;
  repeated string searches = 2;
  repeated PodDNSConfigOption options = 3;
}

message PodDNSConfigOption {
  optional string name = 1;
  optional string value = 2 [(keep) = true];
}

message TopologySpreadConstraint {
  optional int32 maxSkew = 1 [(keep) = true];
  optional string topologyKey = 2 [(keep) = true];
  optional string whenUnsatisfiable = 3 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 4;
  optional int32 minDomains = 5 [(keep) = true];
  optional string nodeAffinityPolicy = 6 [(keep) = true];
  optional string nodeTaintsPolicy = 7 [(keep) = true];
  repeated string matchLabelKeys = 8;
}

message PodReadinessGate {
  optional string conditionType = 1 [(keep) = true];
}

message VolumeDevice {
  optional string name = 1 [(keep) = true];
  optional string devicePath = 2 [(keep) = true];
}

message Container {
  optional string name = 1 [(keep) = true];
  optional string image = 2;
  repeated string command = 3;
  repeated string args = 4;
  optional string workingDir = 5;
  repeated ContainerPort ports = 6;
  repeated EnvFromSource envFrom = 19;
  repeated EnvVar env = 7;
  optional ResourceRequirements resources = 8;
  repeated VolumeMount volumeMounts = 9;
  optional Probe livenessProbe = 10;
  optional Probe readinessProbe = 11;
  optional Probe startupProbe = 22;
  repeated VolumeDevice volumeDevices = 21;
  repeated ContainerResizePolicy resizePolicy = 23;
  optional string restartPolicy = 24 [(keep) = true];
  optional Lifecycle lifecycle = 12;
  optional string terminationMessagePath = 13;
  optional string terminationMessagePolicy = 20;
  optional string imagePullPolicy = 14;
  optional SecurityContext securityContext = 15;
  optional bool stdin = 16;
  optional bool stdinOnce = 17;
  optional bool tty = 18;
}

message ContainerPort {
  optional string name = 1;
  optional int32 hostPort = 2;
  optional int32 containerPort = 3 [(keep) = true];
  optional string protocol = 4;
  optional string hostIP = 5;
}

message EnvVar {
  optional string name = 1 [(keep) = true];
  optional string value = 2;
  optional EnvVarSource valueFrom = 3;
}

message EnvVarSource {
  optional ObjectFieldSelector fieldRef = 1;
  optional ResourceFieldSelector resourceFieldRef = 2;
  optional ConfigMapKeySelector configMapKeyRef = 3;
  optional SecretKeySelector secretKeyRef = 4;
}

message ObjectFieldSelector {
  optional string apiVersion = 1;
  optional string fieldPath = 2 [(keep) = true];
}

message ResourceFieldSelector {
  optional string containerName = 1;
  optional string resource = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity divisor = 3;
}

message LocalObjectReference {
  optional string name = 1;
}

message ConfigMapKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional string key = 2 [(keep) = true];
  optional bool optional = 3 [(keep) = true];
}

message SecretKeySelector {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional string key = 2 [(keep) = true];
  optional bool optional = 3 [(keep) = true];
}

message EnvFromSource {
  optional string prefix = 1;
  optional ConfigMapEnvSource configMapRef = 2;
  optional SecretEnvSource secretRef = 3;
}

message ConfigMapEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2 [(keep) = true];
}

message SecretEnvSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  optional bool optional = 2 [(keep) = true];
}

message ResourceRequirements {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> limits = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> requests = 2;
}

message VolumeMount {
  optional string name = 1 [(keep) = true];
  optional bool readOnly = 2;
  optional string mountPath = 3 [(keep) = true];
  optional string subPath = 4;
  optional string mountPropagation = 5 [(keep) = true];
  optional string subPathExpr = 6;
}

message Probe {
  optional ProbeHandler handler = 1 [(inline) = true];
  optional int32 initialDelaySeconds = 2;
  optional int32 timeoutSeconds = 3;
  optional int32 periodSeconds = 4;
  optional int32 successThreshold = 5;
  optional int32 failureThreshold = 6;
  optional int64 terminationGracePeriodSeconds = 7 [(keep) = true];
}

message ProbeHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional GRPCAction grpc = 4;
}

message ExecAction {
  repeated string command = 1;
}

message HTTPGetAction {
  optional string path = 1;
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 2 [(keep) = true];
  optional string host = 3;
  optional string scheme = 4;
  repeated HTTPHeader httpHeaders = 5;
}

message HTTPHeader {
  optional string name = 1 [(keep) = true];
  optional string value = 2 [(keep) = true];
}

message TCPSocketAction {
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString port = 1 [(keep) = true];
  optional string host = 2;
}

message GRPCAction {
  optional int32 port = 1 [(keep) = true];
  optional string service = 2 [(keep) = true];
}

message Lifecycle {
  optional LifecycleHandler postStart = 1;
  optional LifecycleHandler preStop = 2;
}

message LifecycleHandler {
  optional ExecAction exec = 1;
  optional HTTPGetAction httpGet = 2;
  optional TCPSocketAction tcpSocket = 3;
  optional SleepAction sleep = 4;
}

message SleepAction {
  optional int64 seconds = 1 [(keep) = true];
}

message Toleration {
  optional string key = 1;
  optional string operator = 2;
  optional string value = 3;
  optional string effect = 4;
  optional int64 tolerationSeconds = 5 [(keep) = true];
}

message Volume {
  optional string name = 1 [(keep) = true];
  optional VolumeSource volumeSource = 2 [(inline) = true];
}

message VolumeSource {
  optional HostPathVolumeSource hostPath = 1;
  optional EmptyDirVolumeSource emptyDir = 2;
  optional SecretVolumeSource secret = 6;
  optional ConfigMapVolumeSource configMap = 19;
  optional NFSVolumeSource nfs = 7;
  optional PersistentVolumeClaimVolumeSource persistentVolumeClaim = 10;
  optional DownwardAPIVolumeSource downwardAPI = 16;
  optional ProjectedVolumeSource projected = 26;
  optional CSIVolumeSource csi = 28;
}

message NFSVolumeSource {
  optional string server = 1 [(keep) = true];
  optional string path = 2 [(keep) = true];
  optional bool readOnly = 3;
}

message PersistentVolumeClaimVolumeSource {
  optional string claimName = 1 [(keep) = true];
  optional bool readOnly = 2;
}

message DownwardAPIVolumeSource {
  repeated DownwardAPIVolumeFile items = 1;
  optional int32 defaultMode = 2 [(keep) = true];
}

message DownwardAPIVolumeFile {
  optional string path = 1 [(keep) = true];
  optional ObjectFieldSelector fieldRef = 2;
  optional ResourceFieldSelector resourceFieldRef = 3;
  optional int32 mode = 4 [(keep) = true];
}

message ProjectedVolumeSource {
  repeated VolumeProjection sources = 1;
  optional int32 defaultMode = 2 [(keep) = true];
}

message VolumeProjection {
  optional SecretProjection secret = 1;
  optional DownwardAPIProjection downwardAPI = 2;
  optional ConfigMapProjection configMap = 3;
  optional ServiceAccountTokenProjection serviceAccountToken = 4;
}

message SecretProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(keep) = true];
}

message ConfigMapProjection {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional bool optional = 4 [(keep) = true];
}

message DownwardAPIProjection {
  repeated DownwardAPIVolumeFile items = 1;
}

message ServiceAccountTokenProjection {
  optional string audience = 1;
  optional int64 expirationSeconds = 2 [(keep) = true];
  optional string path = 3 [(keep) = true];
}

message CSIVolumeSource {
  optional string driver = 1 [(keep) = true];
  optional bool readOnly = 2 [(keep) = true];
  optional string fsType = 3 [(keep) = true];
  map<string, string> volumeAttributes = 4;
  optional LocalObjectReference nodePublishSecretRef = 5;
}

message HostPathVolumeSource {
  optional string path = 1 [(keep) = true];
  optional string type = 2 [(keep) = true];
}

message EmptyDirVolumeSource {
  optional string medium = 1;
  optional .k8s.io.apimachinery.pkg.api.resource.Quantity sizeLimit = 2;
}

message SecretVolumeSource {
  optional string secretName = 1;
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(keep) = true];
  optional bool optional = 4 [(keep) = true];
}

message ConfigMapVolumeSource {
  optional LocalObjectReference localObjectReference = 1 [(inline) = true];
  repeated KeyToPath items = 2;
  optional int32 defaultMode = 3 [(keep) = true];
  optional bool optional = 4 [(keep) = true];
}

message KeyToPath {
  optional string key = 1 [(keep) = true];
  optional string path = 2 [(keep) = true];
  optional int32 mode = 3 [(keep) = true];
}

message PodSecurityContext {
  optional SELinuxOptions seLinuxOptions = 1;
  optional WindowsSecurityContextOptions windowsOptions = 8;
  optional int64 runAsUser = 2 [(keep) = true];
  optional int64 runAsGroup = 6 [(keep) = true];
  optional bool runAsNonRoot = 3 [(keep) = true];
  repeated int64 supplementalGroups = 4;
  optional string supplementalGroupsPolicy = 12 [(keep) = true];
  optional int64 fsGroup = 5 [(keep) = true];
  repeated Sysctl sysctls = 7;
  optional string fsGroupChangePolicy = 9 [(keep) = true];
  optional SeccompProfile seccompProfile = 10;
  optional AppArmorProfile appArmorProfile = 11;
  optional string seLinuxChangePolicy = 13 [(keep) = true];
}

message SecurityContext {
  optional Capabilities capabilities = 1;
  optional bool privileged = 2 [(keep) = true];
  optional SELinuxOptions seLinuxOptions = 3;
  optional WindowsSecurityContextOptions windowsOptions = 10;
  optional int64 runAsUser = 4 [(keep) = true];
  optional int64 runAsGroup = 8 [(keep) = true];
  optional bool runAsNonRoot = 5 [(keep) = true];
  optional bool readOnlyRootFilesystem = 6 [(keep) = true];
  optional bool allowPrivilegeEscalation = 7 [(keep) = true];
  optional string procMount = 9 [(keep) = true];
  optional SeccompProfile seccompProfile = 11;
  optional AppArmorProfile appArmorProfile = 12;
}

message Capabilities {
  repeated string add = 1;
  repeated string drop = 2;
}

message SELinuxOptions {
  optional string user = 1;
  optional string role = 2;
  optional string type = 3;
  optional string level = 4;
}

message WindowsSecurityContextOptions {
  optional string gmsaCredentialSpecName = 1 [(keep) = true];
  optional string gmsaCredentialSpec = 2 [(keep) = true];
  optional string runAsUserName = 3 [(keep) = true];
  optional bool hostProcess = 4 [(keep) = true];
}

message SeccompProfile {
  optional string type = 1 [(keep) = true];
  optional string localhostProfile = 2 [(keep) = true];
}

message AppArmorProfile {
  optional string type = 1 [(keep) = true];
  optional string localhostProfile = 2 [(keep) = true];
}

message Sysctl {
  optional string name = 1 [(keep) = true];
  optional string value = 2 [(keep) = true];
}

message Affinity {
  optional NodeAffinity nodeAffinity = 1;
  optional PodAffinity podAffinity = 2;
  optional PodAntiAffinity podAntiAffinity = 3;
}

message NodeAffinity {
  optional NodeSelector requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated PreferredSchedulingTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message NodeSelector {
  repeated NodeSelectorTerm nodeSelectorTerms = 1;
}

message NodeSelectorTerm {
  repeated NodeSelectorRequirement matchExpressions = 1;
  repeated NodeSelectorRequirement matchFields = 2;
}

message NodeSelectorRequirement {
  optional string key = 1 [(keep) = true];
  optional string operator = 2 [(keep) = true];
  repeated string values = 3;
}

message PreferredSchedulingTerm {
  optional int32 weight = 1 [(keep) = true];
  optional NodeSelectorTerm preference = 2;
}

message PodAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAntiAffinity {
  repeated PodAffinityTerm requiredDuringSchedulingIgnoredDuringExecution = 1;
  repeated WeightedPodAffinityTerm preferredDuringSchedulingIgnoredDuringExecution = 2;
}

message PodAffinityTerm {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector labelSelector = 1;
  repeated string namespaces = 2;
  optional string topologyKey = 3 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.LabelSelector namespaceSelector = 4;
  repeated string matchLabelKeys = 5;
  repeated string mismatchLabelKeys = 6;
}

message WeightedPodAffinityTerm {
  optional int32 weight = 1 [(keep) = true];
  optional PodAffinityTerm podAffinityTerm = 2;
}

message PodStatus {
  optional string phase = 1;
  repeated PodCondition conditions = 2;
  optional string message = 3;
  optional string reason = 4;
  optional string nominatedNodeName = 11;
  optional string hostIP = 5;
  repeated HostIP hostIPs = 16;
  optional string podIP = 6;
  repeated PodIP podIPs = 12;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startTime = 7;
  repeated ContainerStatus initContainerStatuses = 10;
  repeated ContainerStatus containerStatuses = 8;
  optional string qosClass = 9;
}

message PodCondition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastProbeTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message HostIP {
  optional string ip = 1 [(keep) = true];
}

message PodIP {
  optional string ip = 1 [(keep) = true];
}

message ContainerStatus {
  optional string name = 1 [(keep) = true];
  optional ContainerState state = 2;
  optional ContainerState lastState = 3;
  optional bool ready = 4 [(keep) = true];
  optional int32 restartCount = 5 [(keep) = true];
  optional string image = 6 [(keep) = true];
  optional string imageID = 7 [(keep) = true];
  optional string containerID = 8;
  optional bool started = 9 [(keep) = true];
}

message ContainerState {
  optional ContainerStateWaiting waiting = 1;
  optional ContainerStateRunning running = 2;
  optional ContainerStateTerminated terminated = 3;
}

message ContainerStateWaiting {
  optional string reason = 1;
  optional string message = 2;
}

message ContainerStateRunning {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 1;
}

message ContainerStateTerminated {
  optional int32 exitCode = 1 [(keep) = true];
  optional int32 signal = 2;
  optional string reason = 3;
  optional string message = 4;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time startedAt = 5;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time finishedAt = 6;
  optional string containerID = 7;
}

message Service {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ServiceSpec spec = 2;
  optional ServiceStatus status = 3;
}

message ServiceSpec {
  repeated ServicePort ports = 1;
  map<string, string> selector = 2;
  optional string clusterIP = 3;
  repeated string clusterIPs = 18;
  optional string type = 4;
  repeated string externalIPs = 5;
  optional string sessionAffinity = 7;
  optional SessionAffinityConfig sessionAffinityConfig = 14;
  optional string loadBalancerIP = 8;
  optional string externalName = 10;
  optional string externalTrafficPolicy = 11;
  optional bool publishNotReadyAddresses = 13;
  repeated string ipFamilies = 19;
  optional string ipFamilyPolicy = 17 [(keep) = true];
  optional string internalTrafficPolicy = 22 [(keep) = true];
}

message SessionAffinityConfig {
  optional ClientIPConfig clientIP = 1;
}

message ClientIPConfig {
  optional int32 timeoutSeconds = 1 [(keep) = true];
}

message ServicePort {
  optional string name = 1;
  optional string protocol = 2;
  optional string appProtocol = 6 [(keep) = true];
  optional int32 port = 3 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.util.intstr.IntOrString targetPort = 4;
  optional int32 nodePort = 5;
}

message ServiceStatus {
  optional LoadBalancerStatus loadBalancer = 1;
  repeated .k8s.io.apimachinery.pkg.apis.meta.v1.Condition conditions = 2;
}

message LoadBalancerStatus {
  repeated LoadBalancerIngress ingress = 1;
}

message LoadBalancerIngress {
  optional string ip = 1;
  optional string hostname = 2;
}

message Endpoints {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated EndpointSubset subsets = 2;
}

message EndpointSubset {
  repeated EndpointAddress addresses = 1;
  repeated EndpointAddress notReadyAddresses = 2;
  repeated EndpointPort ports = 3;
}

message EndpointAddress {
  optional string ip = 1 [(keep) = true];
  optional string hostname = 3;
  optional string nodeName = 4 [(keep) = true];
  optional ObjectReference targetRef = 2;
}

message EndpointPort {
  optional string name = 1;
  optional int32 port = 2 [(keep) = true];
  optional string protocol = 3;
  optional string appProtocol = 4 [(keep) = true];
}

message ObjectReference {
  optional string kind = 1;
  optional string namespace = 2;
  optional string name = 3;
  optional string uid = 4;
  optional string apiVersion = 5;
  optional string resourceVersion = 6;
  optional string fieldPath = 7;
}

message ServiceAccount {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  repeated ObjectReference secrets = 2;
  repeated LocalObjectReference imagePullSecrets = 3;
  optional bool automountServiceAccountToken = 4 [(keep) = true];
}

message ConfigMap {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 4 [(keep) = true];
  map<string, string> data = 2;
  map<string, bytes> binaryData = 3;
}

message Secret {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional bool immutable = 5 [(keep) = true];
  map<string, bytes> data = 2;
  map<string, string> stringData = 4;
  optional string type = 3;
}

message Namespace {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NamespaceSpec spec = 2;
  optional NamespaceStatus status = 3;
}

message NamespaceSpec {
  repeated string finalizers = 1;
}

message NamespaceStatus {
  optional string phase = 1;
  repeated NamespaceCondition conditions = 2;
}

message NamespaceCondition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message Node {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional NodeSpec spec = 2;
  optional NodeStatus status = 3;
}

message NodeSpec {
  optional string podCIDR = 1;
  repeated string podCIDRs = 7;
  optional string providerID = 3;
  optional bool unschedulable = 4;
  repeated Taint taints = 5;
}

message Taint {
  optional string key = 1 [(keep) = true];
  optional string value = 2;
  optional string effect = 3 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time timeAdded = 4;
}

message NodeStatus {
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> capacity = 1;
  map<string, .k8s.io.apimachinery.pkg.api.resource.Quantity> allocatable = 2;
  optional string phase = 3;
  repeated NodeCondition conditions = 4;
  repeated NodeAddress addresses = 5;
  optional NodeDaemonEndpoints daemonEndpoints = 6;
  optional NodeSystemInfo nodeInfo = 7;
}

message NodeCondition {
  optional string type = 1 [(keep) = true];
  optional string status = 2 [(keep) = true];
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastHeartbeatTime = 3;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTransitionTime = 4;
  optional string reason = 5;
  optional string message = 6;
}

message NodeAddress {
  optional string type = 1 [(keep) = true];
  optional string address = 2 [(keep) = true];
}

message NodeDaemonEndpoints {
  optional DaemonEndpoint kubeletEndpoint = 1;
}

message DaemonEndpoint {
  optional int32 Port = 1 [(keep) = true];
}

message NodeSystemInfo {
  optional string machineID = 1 [(keep) = true];
  optional string systemUUID = 2 [(keep) = true];
  optional string bootID = 3 [(keep) = true];
  optional string kernelVersion = 4 [(keep) = true];
  optional string osImage = 5 [(keep) = true];
  optional string containerRuntimeVersion = 6 [(keep) = true];
  optional string kubeletVersion = 7 [(keep) = true];
  optional string kubeProxyVersion = 8 [(keep) = true];
  optional string operatingSystem = 9 [(keep) = true];
  optional string architecture = 10 [(keep) = true];
}

message Event {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference involvedObject = 2;
  optional string reason = 3;
  optional string message = 4;
  optional EventSource source = 5;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time firstTimestamp = 6;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time lastTimestamp = 7;
  optional int32 count = 8;
  optional string type = 9;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime eventTime = 10;
  optional EventSeries series = 11;
  optional string action = 12;
  optional ObjectReference related = 13;
  optional string reportingComponent = 14 [(keep) = true];
  optional string reportingInstance = 15 [(keep) = true];
}

message EventSource {
  optional string component = 1;
  optional string host = 2;
}

message EventSeries {
  optional int32 count = 1;
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime lastObservedTime = 2;
}

message Binding {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta metadata = 1;
  optional ObjectReference target = 2;
}
`;
