// @kubets/testing (dev only): one way to start real clusters in tests and benchmarks, built on
// the launcher `kubets up` uses; free ports; the in-memory fake API server for unit tests of
// clients and controllers; waiting on conditions; benchmark figures.
export { freePorts, kubetsProfile } from '@kubets/cli';
export { kubeletNode, kubeProxyNode, startTestCluster, type KubeletNode, type KubeProxyNode, type TestCluster, type TestClusterOptions } from './test-cluster.js';
export { testPodCidrs } from './pod-cidrs.js';
export { testNodePortCount, testNodePortRange, testServiceClusterIpRange } from './service-cidrs.js';
export { pidsWithArgument } from './pids-with-argument.js';
export { runBenchmark } from './bench.js';
export { startEtcdCluster, stopAllEtcdClusters, type EtcdCluster, type EtcdClusterOptions, type EtcdKind } from './etcd-cluster.js';
export { startApiServerProcess, stopAllApiServers, type ApiServerProcess, type ApiServerProcessOptions } from './apiserver-process.js';
export { FakeApiServer, sendStatus, type Intercept, type RecordedRequest } from './fake-apiserver.js';
export { closedPortUrl } from './closed-port.js';
export { eventually, take } from './wait.js';
export { leaseHolder } from './lease-holder.js';
export { kubectlBinary, kubectlDirectory } from './kubectl.js';
export { latencySummary, percentile, round, sortedOf } from './stats.js';
export { machineBusyCpuMicros, processesCpuMicros } from './proc-cpu.js';
