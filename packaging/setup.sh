# Shared by ./run.sh and ./test.sh: install what a fresh Debian 12 machine is
# missing (idempotent), then configure and build. Source it; do not run it.

LATHE_APT_PACKAGES=(
  g++ make cmake ninja-build ccache pkg-config
  qt6-base-dev qt6-tools-dev qt6-l10n-tools libqcustomplot-dev libxkbcommon-dev
  libtorch-dev libopenblas0-openmp python3-torch
  nlohmann-json3-dev libcurl4-openssl-dev libcpp-httplib-dev zlib1g-dev libgtest-dev libpcre2-dev libutf8proc-dev libicu-dev libsentencepiece-dev
  xvfb xauth fonts-dejavu-core ca-certificates file dpkg-dev
  clang libclang-rt-14-dev
)
# The Hub tests cross-check with the official JavaScript client; node and npm
# may come from elsewhere than Debian (then their Debian packages conflict).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || LATHE_APT_PACKAGES+=(nodejs npm)

lathe_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

lathe_install_deps() {
  local missing=()
  local p
  for p in "${LATHE_APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    lathe_say "all ${#LATHE_APT_PACKAGES[@]} Debian packages present"
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo="sudo"
  fi
  lathe_say "installing ${#missing[@]} missing packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# lathe_build BUILD_DIR [extra cmake args...]
lathe_build() {
  local dir="$1"; shift
  # Relative paths in ccache's keys: a clone elsewhere reuses the cache.
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
  local jobs; jobs=$(nproc 2>/dev/null || echo 2)
  lathe_say "configuring $dir ($*)"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  lathe_say "building $dir with $jobs jobs"
  cmake --build "$dir" -j "$jobs"
}
