// @kubets/etcd: its code lands with issue 4; see README.md.
export {};
