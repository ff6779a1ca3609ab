# Helpers for the Debian root filesystems moto.sh and base-image.sh build with debootstrap. Sourced, not run: the
# caller defines die() and say() first.

# ensure_debootstrap [HINT]: installs debootstrap with apt-get when missing; HINT ends the error where there is no apt-get.
ensure_debootstrap() {
  command -v debootstrap >/dev/null 2>&1 && return
  command -v apt-get >/dev/null 2>&1 || die "debootstrap is missing and there is no apt-get to install it; install debootstrap${1:+, $1}"
  say "installing debootstrap (apt-get)"
  apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null || die "apt-get install debootstrap failed"
}

# Unmount whatever is mounted at or below a folder (deepest first), so it can be deleted safely.
unmount_below() {
  local dir=$1 target
  [[ -e $dir ]] || return 0
  dir=$(cd "$dir" && pwd -P)
  findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d) == 1' | sort -r | while read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" || die "cannot unmount $target"
  done
}

remove_tree() {
  unmount_below "$1"
  rm -rf --one-file-system "$1"
}
