// The tests start kubets-apiserver processes with @kubets/testing's launcher.
export { startApiServerProcess, type ApiServerProcess } from '@kubets/testing';
