import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";

const DEV = { TRACKING_DEV: "1" };
import { clientOptions, kafkaConnection } from "./kafka_connection.ts";

Deno.test("kafkaConnection is plaintext without TLS or SASL settings", () => {
  const connection = kafkaConnection(loadConfig({ ...DEV, KAFKA_BROKERS: "k1:9092,k2:9092" }));
  assert.deepEqual(connection, { brokers: ["k1:9092", "k2:9092"] });
  assert.deepEqual(clientOptions(connection, "x"), {
    clientId: "x",
    bootstrapBrokers: ["k1:9092", "k2:9092"],
  });
});

Deno.test("kafkaConnection reads TLS files and SASL credentials from the environment", () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/ca.pem`, "CA PEM");
  const config = loadConfig({
    ...DEV,
    KAFKA_TLS_CA_FILE: `${dir}/ca.pem`,
    KAFKA_SASL_MECHANISM: "SCRAM-SHA-512",
    KAFKA_SASL_USERNAME: "svc",
    KAFKA_SASL_PASSWORD: "pw",
  });
  const options = clientOptions(kafkaConnection(config), "x");
  assert.deepEqual(options.tls, { ca: "CA PEM" });
  assert.deepEqual(options.sasl, { mechanism: "SCRAM-SHA-512", username: "svc", password: "pw" });
  assert.deepEqual(kafkaConnection(loadConfig({ ...DEV, KAFKA_TLS: "true" })).tls, {});
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("loadConfig refuses SASL without credentials, and a certificate without its key", () => {
  assert.throws(() => loadConfig({ ...DEV, KAFKA_SASL_MECHANISM: "PLAIN" }), /KAFKA_SASL_USERNAME/);
  assert.throws(
    () => loadConfig({ ...DEV, KAFKA_SASL_MECHANISM: "GSSAPI" }),
    /KAFKA_SASL_MECHANISM/,
  );
  assert.throws(() => loadConfig({ ...DEV, KAFKA_TLS_CERT_FILE: "/c.pem" }), /KAFKA_TLS_KEY_FILE/);
});
