const _enc = new TextEncoder();

function _b64url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Signs HS256 JWTs with one secret (the service's `JWT_SECRET`), importing the key once so
 * tens of thousands of simulated drivers can get tokens quickly.
 *
 * @example
 * ```ts
 * const signer = new JwtSigner(DEV_JWT_SECRET);
 * const token = await signer.sign({ sub: "d1", role: "driver", exp: 2e9 });
 * ```
 */
export class JwtSigner {
  #key: Promise<CryptoKey>;

  constructor(secret: string) {
    this.#key = crypto.subtle.importKey(
      "raw",
      _enc.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
  }

  /** A compact JWT (`header.payload.signature`) carrying `claims`. */
  async sign(claims: Record<string, unknown>): Promise<string> {
    const head = _b64url(_enc.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
    const body = _b64url(_enc.encode(JSON.stringify(claims)));
    const sig = await crypto.subtle.sign("HMAC", await this.#key, _enc.encode(`${head}.${body}`));
    return `${head}.${body}.${_b64url(new Uint8Array(sig))}`;
  }
}
