// The library's version, sent in the default user agent (kubets-<component>/<version>).
// Kept in step with package.json by hand: a JSON import would tie the build to its layout.
export const clientVersion = '0.1.0';
