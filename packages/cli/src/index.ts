// @kubets/cli as a library: the launcher that `kubets up` and the test kit share, so there is
// one way to start a cluster.
export { componentMain, type ComponentPackage } from './launch/binaries.js';
export { freePorts } from './launch/free-ports.js';
export { ManagedProcess, ProcessExitedError, ReadyTimeoutError, type ExitInfo, type ProcessSpec } from './launch/managed-process.js';
export { Supervisor, type RestartEvent, type SupervisorOptions } from './launch/supervisor.js';
export { etcdMemberSpec, MEMBER_NODE_FLAGS, type EtcdKind, type EtcdMember, type EtcdMemberOptions } from './launch/etcd-member.js';
export { apiServerSpec, apiServerUrl, type ApiServerOptions } from './launch/apiserver.js';
export { controlPlaneSpec, type ControlPlaneComponent, type ControlPlaneOptions } from './launch/control-plane.js';
export { kubeletArgs, kubeletSpec, kubeletUrl, type KubeletOptions } from './launch/kubelet.js';
export { kubeProxyArgs, kubeProxySpec, kubeProxyUrl, type KubeProxyOptions } from './launch/kube-proxy.js';
export { componentSpec, type ComponentSpawnOptions } from './launch/component-spec.js';
export { KubeletResetError, resetKubeletRootDir, resetKubeletRootDirs, type KubeletResetOptions } from './launch/kubelet-reset.js';
export { maxNodes, nodeAddress, NodeCountError, plannedKubelets, plannedKubeProxies } from './cluster/nodes.js';
export { etcdReady, httpReady } from './launch/readiness.js';
export { LocalCluster, type ClusterProcess, type LaunchOptions, type Role } from './cluster/local-cluster.js';
export { type ClusterPlan, type EtcdMode, type PlannedKubelet, type PlannedKubeProxy, etcdClientUrl, etcdMemberName, apiServerName, schedulerName, controllerManagerName, kubeletName, kubeProxyName, nodeName } from './cluster/plan.js';
export { clusterPaths, type ClusterPaths } from './cluster/layout.js';
export { kubetsProfile, podCidr, serviceClusterIpRange } from './cluster/profile.js';
export { writeClusterKubeconfig } from './cluster/kubeconfig.js';
export { identityOf, stillRunning, type ProcessIdentity } from './launch/process-identity.js';
