// The browser SDK's crypto (packages/client/src/e2ee) is typed against the DOM's WebCrypto names. Tests and
// benchmarks run it in Node 20, which has the same objects on globalThis.crypto but whose types name the key
// class only as `webcrypto.CryptoKey`.
type CryptoKey = import('node:crypto').webcrypto.CryptoKey;
