/**
 * A token secret as a WebCrypto HMAC key for hono's `verify`, imported once per secret: given the
 * string, `verify` imports it on every call (75 against 45 µs a verification here, with garbage to
 * match, on every socket handshake and REST call).
 */
export function tokenKey(secret: string): Promise<CryptoKey> {
  let key = _keys.get(secret);
  if (!key) {
    const raw = new TextEncoder().encode(secret);
    key = crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    _keys.set(secret, key);
  }
  return key;
}

const _keys = new Map<string, Promise<CryptoKey>>();
