// @kubets/component-base: see README.md.
export {};
