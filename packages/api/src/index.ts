// @kubets/api: the Kubernetes object model shared by every kubets component.
export * from './errors/index.js';
