#!/usr/bin/env node
// The kubets-apiserver command. It refuses to run, with a clear message, until issue 5 builds it.
process.stderr.write('kubets-apiserver: not built yet (issue 5); see packages/apiserver/README.md\n');
process.exitCode = 2;
