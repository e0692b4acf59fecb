#!/usr/bin/env node
// The kubets-controller-manager command. It refuses to run, with a clear message, until a later issue builds it.
process.stderr.write('kubets-controller-manager: not built yet (a later issue); see packages/controller-manager/README.md\n');
process.exitCode = 2;
