#!/usr/bin/env node
// The kubets-kubelet command as npm links it: this file is there from the first `npm install`, before
// the build (the root's `prepare`) makes the program it runs.
import '../dist/src/main.js';
