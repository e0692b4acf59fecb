// Error statuses the plugins return where upstream's do: something went wrong, the pod did not fail to fit.

import type { Status } from '../framework/types.js';

export const errorStatus = (...reasons: string[]): Status => ({ code: 'Error', reasons });

/** A Filter whose PreFilter did not run for this pod (upstream: "error reading ... from cycleState"). */
export const missingStateError = (key: string): Status => errorStatus(`error reading "${key}" from cycleState: not found`);
