// @kubets/raft: its code lands with issue 3; see README.md.
export {};
