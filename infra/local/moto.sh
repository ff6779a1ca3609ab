#!/usr/bin/env bash
# The local AWS stand-in: moto server on a loopback port.
#
#   moto.sh install                  install moto once (cached outside the repo)
#   moto.sh start [PORT] [--owner PID]
#                                    start moto on 127.0.0.1:PORT (default 5000), with the images in
#                                    moto-seed-images.json (source AMIs the examples pin) added to its
#                                    catalogue, wait until it answers and
#                                    print its endpoint URL; already running there: just print the URL.
#                                    --owner PID: stop the server when process PID exits (a crashed test
#                                    host does not leave servers behind).
#   moto.sh stop [PORT|all]          stop the server on PORT (default 5000), or every server started here
#   moto.sh status                   how moto is installed and which servers run
#   moto.sh env [PORT]               print `export` lines pointing the AWS SDKs/CLI at the server
#   moto.sh uninstall                stop every server and delete the cached installation
#
# Where moto comes from: `moto_server` when it is on PATH (and works); otherwise Debian's python3-moto
# (trixie) installed with debootstrap into ${BAKERY_CACHE:-$HOME/.cache/bakery}/moto/rootfs and run
# with chroot (needs root). BAKERY_MOTO_MODE=path|chroot forces one of the two.
#
# Safe to call concurrently: the installation is serialized by a lock and built in a temporary folder
# that is renamed into place only when complete; each port has its own lock and pid file.
set -euo pipefail

readonly DEFAULT_PORT=5000
readonly here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly DEBIAN_SUITE=trixie
readonly DEBIAN_MIRROR=${BAKERY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
readonly START_TIMEOUT_SECONDS=${BAKERY_MOTO_START_TIMEOUT:-120}
readonly STOP_TIMEOUT_SECONDS=10

cache_dir=${BAKERY_CACHE:-$HOME/.cache/bakery}/moto
rootfs=$cache_dir/rootfs
run_dir=$cache_dir/run

die() {
  echo "moto.sh: $*" >&2
  exit 1
}

say() {
  echo "moto.sh: $*" >&2
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit 2
}

validate_port() {
  [[ $1 =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536)) || die "not a port number: '$1'"
}

# ---------------------------------------------------------------------------------------------------
# Which moto

path_moto_works() {
  # A pyenv shim can be on PATH for a Python version that lacks moto: ask it, do not just look for it.
  command -v moto_server >/dev/null 2>&1 && moto_server --help >/dev/null 2>&1
}

mode() {
  case ${BAKERY_MOTO_MODE:-auto} in
    path)
      path_moto_works || die "BAKERY_MOTO_MODE=path but 'moto_server' is not on PATH or does not run"
      echo path
      ;;
    chroot) echo chroot ;;
    auto)
      if path_moto_works; then echo path; else echo chroot; fi
      ;;
    *) die "BAKERY_MOTO_MODE must be auto, path or chroot (is '${BAKERY_MOTO_MODE}')" ;;
  esac
}

chroot_installed() {
  [[ -f $rootfs/.bakery-moto-version ]]
}

# ---------------------------------------------------------------------------------------------------
# Installing (chroot mode)

with_install_lock() {
  mkdir -p "$cache_dir"
  exec {install_lock}>"$cache_dir/install.lock"
  flock "$install_lock"
}

release_install_lock() {
  exec {install_lock}>&-
}

require_root() {
  (($(id -u) == 0)) || die "$1 needs root (debootstrap and chroot). Run as root, or put a working 'moto_server' on PATH (e.g. pip install 'moto[server]')."
}

# shellcheck source=rootfs-lib.sh
source "$here/rootfs-lib.sh"

install_chroot() {
  require_root "installing moto"
  with_install_lock
  if chroot_installed; then
    release_install_lock
    return
  fi
  ensure_debootstrap "or put 'moto_server' on PATH"
  local staging
  for staging in "$cache_dir"/rootfs.partial.*; do
    [[ -e $staging ]] && remove_tree "$staging" # left by an interrupted install
  done
  staging=$(mktemp -d "$cache_dir/rootfs.partial.XXXXXX")
  say "installing Debian $DEBIAN_SUITE + python3-moto into $rootfs (once; about a minute and 450 MB)"
  local log=$cache_dir/install.log
  {
    debootstrap --variant=minbase "$DEBIAN_SUITE" "$staging" "$DEBIAN_MIRROR" &&
      chroot "$staging" apt-get update &&
      chroot "$staging" env DEBIAN_FRONTEND=noninteractive apt-get install -y python3-moto python3-flask-cors &&
      chroot "$staging" apt-get clean &&
      chroot "$staging" python3 -c 'import moto.server, flask_cors' &&
      chroot "$staging" dpkg-query -W -f '${Version}\n' python3-moto >"$staging/.bakery-moto-version"
  } >"$log" 2>&1 || {
    remove_tree "$staging"
    tail -n 20 "$log" >&2
    die "installing moto failed (full log: $log)"
  }
  unmount_below "$staging"
  mv -T "$staging" "$rootfs"
  say "installed python3-moto $(cat "$rootfs/.bakery-moto-version")"
  release_install_lock
}

ensure_proc_mounted() {
  # Mounted once and left mounted: every server in the chroot shares it. Under the install lock so two
  # starts do not both mount it.
  with_install_lock
  mountpoint -q "$rootfs/proc" || mount -t proc proc "$rootfs/proc" || die "cannot mount proc in $rootfs"
  release_install_lock
}

cmd_install() {
  case $(mode) in
    path) ;; # nothing to install; `status` says which moto_server
    chroot) install_chroot ;;
  esac
}

# ---------------------------------------------------------------------------------------------------
# Servers

pid_file() { echo "$run_dir/moto-$1.pid"; }
log_file() { echo "$run_dir/moto-$1.log"; }
endpoint() { echo "http://127.0.0.1:$1"; }

# The pid in the port's pid file when that process is alive and is a moto server.
running_pid() {
  local port=$1 file pid
  file=$(pid_file "$port")
  [[ -f $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  # The pid must still be a moto server for this port (pids get reused).
  tr '\0\n' '  ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -- "moto.* -p $port " || return 1
  echo "$pid"
}

answers() {
  curl -s -o /dev/null --max-time 5 "$(endpoint "$1")/moto-api/" 2>/dev/null
}

with_port_lock() {
  mkdir -p "$run_dir"
  exec {port_lock}>"$run_dir/moto-$1.lock"
  flock "$port_lock"
}

launch() {
  local port=$1 log
  log=$(log_file "$port")
  # The port's lock is closed in the server: it would otherwise hold the lock for its whole life.
  # setsid: the server outlives this script and is not hit by a Ctrl-C meant for the caller. In a script
  # the background child is not a process-group leader, so setsid (and chroot) exec in place and $! is
  # the server's own pid.
  # Both run moto-seeded-server.py (moto's server plus the images the examples pin), given as -c so it needs no
  # file inside the chroot; its text names moto, which running_pid looks for.
  local seeded seed_images
  seeded=$(<"$here/moto-seeded-server.py")
  seed_images=$(<"$here/moto-seed-images.json")
  case $(mode) in
    path)
      local python
      python=$(moto_python) || die "no Python that imports moto.server beside $(command -v moto_server) (tried its interpreter and python3)"
      BAKERY_MOTO_SEED_IMAGES=$seed_images setsid "$python" -c "$seeded" -H 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null {port_lock}>&- &
      ;;
    chroot)
      install_chroot
      ensure_proc_mounted
      BAKERY_MOTO_SEED_IMAGES=$seed_images setsid chroot "$rootfs" python3 -c "$seeded" -H 127.0.0.1 -p "$port" >"$log" 2>&1 </dev/null {port_lock}>&- &
      ;;
  esac
  echo $!
}

# The interpreter moto_server runs with: its script's own #! line when that names Python (a venv, pipx), else python3
# (a pyenv shim is a shell script that runs the selected version's python3).
moto_python() {
  local script candidate
  script=$(command -v moto_server)
  candidate=$(head -n 1 "$script" 2>/dev/null | sed -n 's/^#![[:space:]]*\([^[:space:]]*python[^[:space:]]*\)$/\1/p')
  for candidate in $candidate python3; do
    "$candidate" -c 'import moto.server' >/dev/null 2>&1 && { echo "$candidate"; return; }
  done
  return 1
}

watch_owner() {
  local owner=$1 server=$2
  # Detached watcher: stops the server once the owner is gone. Ends by itself when the server stops.
  setsid bash -c '
    while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 2; done
    kill "$2" 2>/dev/null || true' moto-owner-watch "$owner" "$server" >/dev/null 2>&1 </dev/null {port_lock}>&- &
}

cmd_start() {
  local port=$DEFAULT_PORT owner=""
  while (($#)); do
    case $1 in
      --owner)
        [[ ${2:-} =~ ^[0-9]+$ ]] || die "--owner needs a process id"
        owner=$2
        shift 2
        ;;
      *)
        validate_port "$1"
        port=$1
        shift
        ;;
    esac
  done
  with_port_lock "$port"
  if running_pid "$port" >/dev/null; then
    endpoint "$port"
    return
  fi
  remove_stale_run_files
  if answers "$port"; then
    die "something else already listens on 127.0.0.1:$port (not started by moto.sh); choose another port"
  fi
  local pid deadline
  pid=$(launch "$port")
  echo "$pid" >"$(pid_file "$port")"
  deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  until answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$(pid_file "$port")"
      tail -n 20 "$(log_file "$port")" >&2
      die "moto server on port $port exited at start (log: $(log_file "$port"))"
    fi
    if ((SECONDS >= deadline)); then
      stop_pid "$pid"
      rm -f "$(pid_file "$port")"
      die "moto server on port $port did not answer within ${START_TIMEOUT_SECONDS}s (log: $(log_file "$port"))"
    fi
    sleep 0.2
  done
  [[ -z $owner ]] || watch_owner "$owner" "$pid"
  endpoint "$port"
}

# Tests pick a fresh port each run: forget logs and locks of ports unused for a day (a lock in use was
# opened, and so touched, recently).
remove_stale_run_files() {
  find "$run_dir" -maxdepth 1 \( -name 'moto-*.log' -o -name 'moto-*.lock' \) -mmin +1440 -delete 2>/dev/null || true
}

stop_pid() {
  local pid=$1 deadline
  kill -TERM "$pid" 2>/dev/null || return 0
  deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
}

stop_port() {
  local port=$1 pid
  with_port_lock "$port"
  if pid=$(running_pid "$port"); then
    stop_pid "$pid"
    say "stopped moto on port $port"
  fi
  rm -f "$(pid_file "$port")"
  exec {port_lock}>&-
}

ports_with_pid_files() {
  local file
  for file in "$run_dir"/moto-*.pid; do
    [[ -e $file ]] || continue
    file=${file##*/moto-}
    echo "${file%.pid}"
  done
}

cmd_stop() {
  local target=${1:-$DEFAULT_PORT} port
  if [[ $target == all ]]; then
    for port in $(ports_with_pid_files); do stop_port "$port"; done
  else
    validate_port "$target"
    stop_port "$target"
  fi
}

cmd_status() {
  if path_moto_works && [[ ${BAKERY_MOTO_MODE:-auto} != chroot ]]; then
    echo "moto: moto_server on PATH ($(command -v moto_server))"
  elif chroot_installed; then
    echo "moto: python3-moto $(cat "$rootfs/.bakery-moto-version") in $rootfs (chroot)"
  else
    echo "moto: not installed (run: $0 install)"
  fi
  local port pid any=0
  for port in $(ports_with_pid_files); do
    if pid=$(running_pid "$port"); then
      echo "running: $(endpoint "$port") pid $pid"
      any=1
    else
      echo "stale pid file for port $port (server gone)"
    fi
  done
  ((any)) || echo "no server running"
}

cmd_env() {
  local port=${1:-$DEFAULT_PORT}
  validate_port "$port"
  cat <<EOF
export AWS_ENDPOINT_URL=$(endpoint "$port")
export AWS_ACCESS_KEY_ID=testing
export AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=us-east-1
export AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required
EOF
}

cmd_uninstall() {
  cmd_stop all
  with_install_lock
  remove_tree "$rootfs"
  local staging
  for staging in "$cache_dir"/rootfs.partial.*; do
    [[ -e $staging ]] && remove_tree "$staging"
  done
  release_install_lock
  say "removed $rootfs"
}

main() {
  local command=${1:-}
  (($#)) && shift
  case $command in
    install) cmd_install ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status ;;
    env) cmd_env "$@" ;;
    uninstall) cmd_uninstall ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
