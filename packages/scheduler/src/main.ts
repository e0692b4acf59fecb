#!/usr/bin/env node
// The kubets-scheduler command. It refuses to run, with a clear message, until a later issue builds it.
process.stderr.write('kubets-scheduler: not built yet (a later issue); see packages/scheduler/README.md\n');
process.exitCode = 2;
