import type { ConnectionOptions as TlsOptions } from "node:tls";
import type { SASLOptions } from "@platformatic/kafka";

/** How every Kafka client of the service reaches the cluster. */
export interface KafkaConnection {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  /** TLS settings; absent for plaintext. */
  readonly tls?: TlsOptions;
  /** SASL mechanism and credentials; absent for no authentication. */
  readonly sasl?: SASLOptions;
}

/** The settings `kafkaConnection` reads, as `loadConfig` parsed them. */
export interface KafkaConnectionSettings {
  readonly KAFKA_BROKERS: readonly string[];
  readonly KAFKA_TLS: boolean;
  readonly KAFKA_TLS_CA_FILE?: string | undefined;
  readonly KAFKA_TLS_CERT_FILE?: string | undefined;
  readonly KAFKA_TLS_KEY_FILE?: string | undefined;
  readonly KAFKA_SASL_MECHANISM?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512" | undefined;
  readonly KAFKA_SASL_USERNAME?: string | undefined;
  readonly KAFKA_SASL_PASSWORD?: string | undefined;
}

/**
 * The connection the configuration describes. TLS is on with `KAFKA_TLS=true` or any
 * `KAFKA_TLS_*_FILE` (PEM files, read now); SASL with `KAFKA_SASL_MECHANISM`.
 */
export function kafkaConnection(settings: KafkaConnectionSettings): KafkaConnection {
  const { KAFKA_TLS_CA_FILE: ca, KAFKA_TLS_CERT_FILE: cert, KAFKA_TLS_KEY_FILE: key } = settings;
  const tls = settings.KAFKA_TLS || ca !== undefined || cert !== undefined || key !== undefined;
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  return {
    brokers: settings.KAFKA_BROKERS,
    ...(tls && {
      tls: {
        ...(ca !== undefined && { ca: Deno.readTextFileSync(ca) }),
        ...(cert !== undefined && { cert: Deno.readTextFileSync(cert) }),
        ...(key !== undefined && { key: Deno.readTextFileSync(key) }),
      },
    }),
    ...(mechanism !== undefined && {
      sasl: {
        mechanism,
        username: settings.KAFKA_SASL_USERNAME ?? "",
        password: settings.KAFKA_SASL_PASSWORD ?? "",
      },
    }),
  };
}

/** The options every `@platformatic/kafka` client takes from a connection. */
export function clientOptions(connection: KafkaConnection, clientId: string): {
  clientId: string;
  bootstrapBrokers: string[];
  tls?: TlsOptions;
  sasl?: SASLOptions;
} {
  return {
    clientId,
    bootstrapBrokers: [...connection.brokers],
    ...(connection.tls && { tls: connection.tls }),
    ...(connection.sasl && { sasl: connection.sasl }),
  };
}
