#!/usr/bin/env node
// The kubets-kubelet command. It refuses to run, with a clear message, until a later issue builds it.
process.stderr.write('kubets-kubelet: not built yet (a later issue); see packages/kubelet/README.md\n');
process.exitCode = 2;
