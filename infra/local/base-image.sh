#!/usr/bin/env bash
# The default base image of the stand-in's local instances: a Debian trixie minbase root filesystem with what
# the generated commands need (curl, ca-certificates, sudo, tar, gzip), made once with debootstrap.
#
#   base-image.sh install     make it once (cached outside the repo; needs root; about a minute and 200 MB)
#   base-image.sh path        print the root filesystem's folder (exit 1 when not installed)
#   base-image.sh status      installed or not
#   base-image.sh uninstall   delete it
#
# It lives beside moto's installation, in ${BAKERY_CACHE:-$HOME/.cache/bakery}/images/debian-trixie/rootfs.
# Safe to call concurrently: built under a lock in rootfs.partial.*, renamed into place only when complete.
set -euo pipefail

readonly DEBIAN_SUITE=trixie
readonly DEBIAN_MIRROR=${BAKERY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the commands Bakery generates use (curl for presigned URLs, tar/gzip for folders, sudo in execute_command).
readonly PACKAGES=curl,ca-certificates,sudo,tar,gzip

cache_dir=${BAKERY_CACHE:-$HOME/.cache/bakery}/images/debian-$DEBIAN_SUITE
rootfs=$cache_dir/rootfs

die() {
  echo "base-image.sh: $*" >&2
  exit 1
}

say() {
  echo "base-image.sh: $*" >&2
}

installed() {
  [[ -f $rootfs/.bakery-base-image ]]
}

# minbase has no init system, so no `reboot`: this one ends the instance's init, which the stand-in sees as a reboot
# (it starts the instance's processes again). In /usr/local/sbin, ahead of any other on PATH.
add_reboot() {
  mkdir -p "$1/usr/local/sbin"
  printf '#!/bin/sh\n# Local instances only: ends the init of this instance; the Bakery stand-in starts it again.\nkill -TERM 1\nsleep 30\n' >"$1/usr/local/sbin/reboot"
  chmod 0755 "$1/usr/local/sbin/reboot"
}

# shellcheck source=rootfs-lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/rootfs-lib.sh"

cmd_install() {
  if installed; then
    [[ -x $rootfs/usr/local/sbin/reboot ]] || add_reboot "$rootfs" # made before reboot was added
    return
  fi
  (($(id -u) == 0)) || die "making the base image needs root (debootstrap)"
  mkdir -p "$cache_dir"
  exec {lock}>"$cache_dir/install.lock"
  flock "$lock"
  if installed; then
    return
  fi
  ensure_debootstrap
  local staging
  for staging in "$cache_dir"/rootfs.partial.*; do
    [[ -e $staging ]] && remove_tree "$staging" # left by an interrupted install
  done
  staging=$(mktemp -d "$cache_dir/rootfs.partial.XXXXXX")
  say "making the local instances' base image, Debian $DEBIAN_SUITE minbase, in $rootfs (once; about a minute)"
  local log=$cache_dir/install.log
  {
    debootstrap --variant=minbase --include="$PACKAGES" "$DEBIAN_SUITE" "$staging" "$DEBIAN_MIRROR" &&
      chroot "$staging" apt-get clean &&
      # As in Debian's container images: package installs do not start services (an instance shares the host's
      # network, so a started nginx would take the host's port 80); the image still holds them, enabled.
      printf '#!/bin/sh\nexit 101\n' >"$staging/usr/sbin/policy-rc.d" &&
      chmod 0755 "$staging/usr/sbin/policy-rc.d" &&
      add_reboot "$staging" &&
      rm -rf "$staging"/var/lib/apt/lists/* &&
      echo "debian-$DEBIAN_SUITE" >"$staging/.bakery-base-image"
  } >"$log" 2>&1 || {
    remove_tree "$staging"
    tail -n 20 "$log" >&2
    die "making the base image failed (full log: $log)"
  }
  unmount_below "$staging"
  mv -T "$staging" "$rootfs"
  say "made the base image ($(du -sh "$rootfs" | cut -f1))"
}

case ${1:-} in
  install) cmd_install ;;
  path)
    installed || exit 1
    echo "$rootfs"
    ;;
  status)
    if installed; then echo "Debian $DEBIAN_SUITE base image: $rootfs"; else echo "Debian $DEBIAN_SUITE base image: not installed"; fi
    ;;
  uninstall) remove_tree "$cache_dir" ;;
  *) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
