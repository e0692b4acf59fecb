// @kubets/testing: see README.md.
export {};
