#!/usr/bin/env node
// The kubets-kube-proxy command. It refuses to run, with a clear message, until a later issue builds it.
process.stderr.write('kubets-kube-proxy: not built yet (a later issue); see packages/kube-proxy/README.md\n');
process.exitCode = 2;
