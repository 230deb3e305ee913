# The single service container. Kafka and PostgreSQL run elsewhere (see compose.yaml);
# set KAFKA_BROKERS and DATABASE_URL.
FROM denoland/deno:2.5.6
WORKDIR /app
COPY deno.json deno.lock ./
COPY . .
RUN deno cache main.ts
USER deno
ENV PORT=8000
EXPOSE 8000
CMD ["run", "--allow-net", "--allow-env", "--allow-read", "--allow-write=/tmp", "--allow-sys", "main.ts"]
