# The single service container. Kafka and PostgreSQL run elsewhere (see compose.yaml);
# set KAFKA_BROKERS and DATABASE_URL.
# The version is the one in .deno-version (tools/deno_version_test.ts checks it).
FROM denoland/deno:2.9.6
WORKDIR /app
COPY deno.json deno.lock ./
COPY . .
RUN deno cache main.ts start.ts
USER deno
ENV PORT=8000
EXPOSE 8000
# start.ts runs one worker process (main.ts) per core on PORT (docs/performance.md, "Workers");
# add "--workers", "N" to choose. It needs --allow-run to start them.
CMD ["run", "--allow-run", "--allow-net", "--allow-env", "--allow-read", "--allow-sys", "start.ts"]
