import assert from "node:assert/strict";
import { verify } from "hono/jwt";
import { DEV_JWT_SECRET } from "./config.ts";
import { tokenRequest } from "./make_token.ts";

const NOW = 1_795_958_700_000;

Deno.test("tokenRequest signs role, id and an exp hours ahead, with the dev secret when unset", () => {
  const request = tokenRequest(["driver", "d7", "2"], {}, NOW);
  assert.deepEqual(request.claims, { sub: "d7", role: "driver", exp: NOW / 1000 + 7200 });
  assert.equal(request.secret, DEV_JWT_SECRET);
  assert.equal(tokenRequest(["ops", "o1"], {}, NOW).claims.exp, NOW / 1000 + 24 * 3600);
});

Deno.test("tokenRequest refuses an unknown role, bad hours, a bad id and a short secret", () => {
  assert.throws(() => tokenRequest(["admin", "a1"], {}), /unknown role "admin"/);
  assert.throws(() => tokenRequest(["driver", "d7", "abc"], {}), /hours must be a number/);
  assert.throws(() => tokenRequest(["driver", "d7", "0"], {}), /hours/);
  assert.throws(() => tokenRequest(["driver", "d7", "-3"], {}), /hours/);
  assert.throws(() => tokenRequest(["driver", "d7", "99999"], {}), /hours/);
  assert.throws(() => tokenRequest(["driver", "d\u00007"], {}), /control characters/);
  assert.throws(() => tokenRequest(["driver"], {}), /usage/);
  assert.throws(() => tokenRequest(["driver", "d7"], { JWT_SECRET: "short" }), /32/);
});

async function _run(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-env", new URL("./make_token.ts", import.meta.url).pathname, ...args],
    env: { JWT_SECRET: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("deno task token exits non-zero with a message for `admin a1` and `driver d7 abc`", async () => {
  const admin = await _run(["admin", "a1"]);
  assert.equal(admin.code, 2);
  assert.equal(admin.stdout, "");
  assert.match(admin.stderr, /unknown role/);
  const hours = await _run(["driver", "d7", "abc"]);
  assert.equal(hours.code, 2);
  assert.match(hours.stderr, /hours/);
  const good = await _run(["driver", "d7"]);
  assert.equal(good.code, 0, good.stderr);
  const claims = await verify(good.stdout.trim(), DEV_JWT_SECRET, "HS256");
  assert.equal(claims.sub, "d7");
});

Deno.test("tokenRequest signs no longer than the service accepts: 7 days, or JWT_MAX_TTL_S", () => {
  assert.equal(tokenRequest(["ops", "o1", "168"], {}, NOW).claims.exp, NOW / 1000 + 168 * 3600);
  assert.throws(() => tokenRequest(["ops", "o1", "169"], {}, NOW), /at most 168/);
  // The former name JWT_MAX_TTL is still read, as by the service.
  for (const name of ["JWT_MAX_TTL_S", "JWT_MAX_TTL"]) {
    assert.throws(() => tokenRequest(["ops", "o1", "2"], { [name]: "3600" }, NOW), /at most 1,/);
    assert.equal(
      tokenRequest(["ops", "o1", "1"], { [name]: "3600" }, NOW).claims.exp,
      NOW / 1000 + 3600,
    );
  }
  assert.throws(
    () => tokenRequest(["ops", "o1", "1"], { JWT_MAX_TTL_S: "0" }, NOW),
    /^TypeError: invalid configuration: JWT_MAX_TTL_S: /,
  );
});
