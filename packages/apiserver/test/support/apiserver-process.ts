// The tests start kubets-apiserver processes with the launcher in src/launch.
export { startApiServerProcess, type ApiServerProcess } from '../../src/launch/apiserver-process.js';
