#!/bin/sh
# Turns a Debian root file system with nginx installed into the HTTP image: installs the site and
# writes the files wrk asks for. Run by image/http/Dockerfile (ROOT = /) and by scripts/build-image.sh
# (ROOT = the debootstrap directory), so both ways give the same image.
#   prepare-rootfs.sh ROOT RECIPE_DIR
set -eu
root=$1
recipe=$2

install -m 644 "$recipe/default.conf" "$root/etc/nginx/sites-available/default"
ln -sf ../sites-available/default "$root/etc/nginx/sites-enabled/default"
# nginx runs in the foreground as the container's command: its errors belong in `docker logs`.
ln -sf /dev/stderr "$root/var/log/nginx/error.log"

# Bodies of known size (1 KiB and 64 KiB of 'x'), so bytes per request are fixed by the URL.
mkdir -p "$root/var/www/html"
head -c 1024 /dev/zero | tr '\0' x >"$root/var/www/html/1k.bin"
head -c 65536 /dev/zero | tr '\0' x >"$root/var/www/html/64k.bin"
