#!/usr/bin/env node
// The kubets-etcd command. It refuses to run, with a clear message, until issue 4 builds it.
process.stderr.write('kubets-etcd: not built yet (issue 4); see packages/etcd/README.md\n');
process.exitCode = 2;
