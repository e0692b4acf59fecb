// @kubets/component-base/flags: Go durations and booleans and their commander parsers, alone
// (a command line tool need not load the logging and metrics libraries for them).
export * from './duration.js';
export * from './bool.js';
export * from './option-parsers.js';
export * from './flag-error.js';
