#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests: never for real data (trust auth, fsync off).
#
#   DATABASE_URL=$(scripts/pg-throwaway.sh start)   # prints only the URL on stdout
#   scripts/pg-throwaway.sh url                     # the URL of the running cluster
#   scripts/pg-throwaway.sh stop                    # stop it and delete its files
#
# GONGKAI_PG_DIR chooses the cluster's directory (default /tmp/gongkai-pg). As root the server runs
# as the `postgres` user, which PostgreSQL requires; otherwise as the calling user.
set -euo pipefail

DIR=${GONGKAI_PG_DIR:-/tmp/gongkai-pg}
DB=gongkai
MIN_VERSION=15

say() { echo "pg-throwaway: $*" >&2; }

find_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -z "$bin" || ! -x "$bin/pg_ctl" ]]; then
        say "PostgreSQL not found under /usr/lib/postgresql/*/bin (Debian: apt-get install postgresql)"
        exit 1
    fi
    local version
    version=$(basename "$(dirname "$bin")")
    if (( ${version%%.*} < MIN_VERSION )); then
        say "PostgreSQL $version found; $MIN_VERSION or later is required"
        exit 1
    fi
    echo "$bin"
}

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() {
    echo "postgres://postgres@127.0.0.1:$(cat "$DIR/port")/$DB"
}

running() {
    [[ -f "$DIR/port" && -d "$DIR/data" ]] && as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

start() {
    if running; then
        say "already running"
        url
        return
    fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$DIR"; fi
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
    }
    local port
    port=$(free_port)
    as_owner sh -c "echo $port > '$DIR/port'"
    # Durability is pointless for a cluster that is deleted after the run; speed is not.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || {
        cat "$DIR/server.log" >&2
        exit 1
    }
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB"
    say "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $DIR"
    url
}

stop() {
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
        say "stopped"
    fi
    rm -rf "$DIR"
}

BIN=$(find_bin)
case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url)
        running || { say "not running"; exit 1; }
        url
        ;;
    *)
        echo "usage: $0 start|stop|url" >&2
        exit 2
        ;;
esac
