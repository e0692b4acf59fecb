// The clock alone, for processes that need timers without the rest of the client (its import
// loads the whole API model): `@kubets/client/clock`.
export * from './clock.js';
export * from './real-clock.js';
export * from './fake-clock.js';
