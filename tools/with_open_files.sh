#!/usr/bin/env bash
# Raises the open-files soft limit to the hard limit (one socket = one file), then runs the
# command. Raising the hard limit itself needs root/CAP_SYS_RESOURCE: see docs/limits.md. The
# service derives its connection and socket caps from the limit it gets (docs/limits.md).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "${1:-}" == deno ]] && ! command -v deno >/dev/null; then
  shift
  exec npx -y "deno@$(cat "$(dirname "$0")/../.deno-version")" "$@"
fi
exec "$@"
