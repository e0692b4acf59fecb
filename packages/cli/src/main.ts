#!/usr/bin/env node
// The kubets command. It refuses to run, with a clear message, until a later issue builds it.
process.stderr.write('kubets: not built yet (a later issue); see packages/cli/README.md\n');
process.exitCode = 2;
