// @kubets/apiserver: its code lands with issue 5; see README.md.
export {};
