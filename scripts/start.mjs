#!/usr/bin/env node
// `npm start`: starts a local cluster (three etcd replicas, API servers, scheduler,
// controller manager, kubelets and kube-proxies) once the launcher lands (packages/cli).
// Until then it says so plainly instead of pretending.
console.error(
  [
    'kubets: npm start cannot start a cluster yet.',
    'The components are being built issue by issue: Raft, etcd and the API server are in place',
    '(packages/etcd and packages/apiserver say how to run them by hand); the launcher, scheduler,',
    'controllers, kubelet and kube-proxy follow. See README.md for what works today.',
  ].join('\n'),
);
process.exitCode = 1;
