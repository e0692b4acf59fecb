#!/usr/bin/env node
// The kubets-controller-manager command, as npm links it: present from the first `npm install` on, before
// anything is built, it runs the built program (dist/src/main.js) that the install's build
// (the root's `prepare`: tsc -b) makes.
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('kubets-controller-manager: not built yet; run `npm run build` (or `npm install`) at the repository root\n');
  process.exit(1);
}
await import(main.href);
