#!/usr/bin/env bash
# Back up the dispatch service: the database, then the media folder.
#
#   backup.sh DEST_DIR
#
# Reads DATABASE_URL and MEDIA_DIR from the environment (the systemd timer next to this
# file loads /etc/dispatch/dispatch.env).  Writes into DEST_DIR, with a UTC time stamp:
#   db-STAMP.dump          PostgreSQL: pg_dump's custom format (restore with pg_restore)
#   db-STAMP.sqlite        SQLite: a consistent copy made with sqlite3's .backup
#   media-STAMP.tar.gz     the media folder
# and deletes its own files older than BACKUP_KEEP_DAYS (default 14).
#
# The database goes first: media files are written before the rows that name them and
# never change, so the media copied afterwards hold every photo the dump refers to.
# Copy DEST_DIR to another machine too (rsync, object storage): a backup on the same
# disk dies with it.
set -euo pipefail

dest="${1:?usage: backup.sh DEST_DIR}"
url="${DATABASE_URL:?DATABASE_URL is not set}"
media="${MEDIA_DIR:-var/media}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

umask 077
mkdir -p "$dest"

case "$url" in
    postgresql+asyncpg://*)
        # libpq takes the same URL without the driver name.  It holds the password, which
        # other local users can see in the process list while pg_dump runs; on a shared
        # machine put the password in ~/.pgpass instead and leave it out of the URL.
        pg_dump --format=custom --no-owner --file="$dest/db-$stamp.dump" \
            --dbname="postgresql://${url#postgresql+asyncpg://}"
        ;;
    sqlite+aiosqlite:///*)
        sqlite3 "${url#sqlite+aiosqlite:///}" ".backup '$dest/db-$stamp.sqlite'"
        ;;
    *)
        echo "backup.sh: DATABASE_URL is neither PostgreSQL nor SQLite" >&2
        exit 2
        ;;
esac

if [[ -d "$media" ]]; then
    tar -C "$(dirname "$media")" -czf "$dest/media-$stamp.tar.gz" "$(basename "$media")"
fi

find "$dest" -maxdepth 1 -type f \( -name 'db-*' -o -name 'media-*' \) \
    -mtime +"$keep_days" -delete
echo "backup.sh: $dest/*-$stamp.*"
