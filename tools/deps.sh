#!/bin/sh
# make deps: installs the Debian packages the project needs, or says how.
# Usage: deps.sh PACKAGE...  Installed packages are left alone; as root the missing
# ones are installed with apt-get (after one apt-get update); otherwise the exact
# command is printed and the exit status is 1. Plain sh: python3 may be missing too.
set -eu
missing=""
for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    case "$status" in
        *"install ok installed") ;;
        *) missing="$missing $package" ;;
    esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing Debian packages; run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update >/dev/null
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing
