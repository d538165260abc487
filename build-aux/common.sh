# Shared by build-aux/run and build-aux/test: install what is missing, nothing else.
# shellcheck shell=bash

JX_BUILD_PACKAGES=(
  meson ninja-build gcc pkg-config gettext
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev
  libjson-glib-dev libsecret-1-dev libsqlite3-dev libgnutls28-dev libmd4c-dev
  glib-networking ca-certificates
  # meson setup's gnome.post_install() looks these programs up at configure time.
  desktop-file-utils
)
JX_TEST_PACKAGES=(
  xvfb xauth dbus-daemon dbus-bin gnome-keyring libsecret-tools
  appstream desktop-file-utils python3 locales clang libclang-rt-14-dev
  # test-cli: the JSON Lines read by pandas, the man page rendered by man.
  python3-pandas man-db
)

jx_install_missing ()
{
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing missing packages: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
      echo "error: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

# German and English UTF-8 locales, so LANGUAGE=de works in tests.
jx_ensure_locales ()
{
  if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' \
     || ! locale -a 2>/dev/null | grep -qi '^en_US\.utf-\?8$'; then
    if [ "$(id -u)" -eq 0 ] && [ -f /etc/locale.gen ]; then
      sed -i -E 's/^# *(de_DE\.UTF-8 UTF-8)/\1/; s/^# *(en_US\.UTF-8 UTF-8)/\1/' /etc/locale.gen
      locale-gen >/dev/null
    fi
  fi
}

# jx_meson_setup BUILDDIR [OPTIONS...]: configures (or reconfigures) quietly, but prints meson's
# own explanation and fails when it fails, instead of failing without a word.
jx_meson_setup ()
{
  local builddir=$1; shift
  local log
  log=$(mktemp)
  local args=("$builddir" "$@")
  [ -f "$builddir/build.ninja" ] && args=(--reconfigure "${args[@]}")
  if ! meson setup "${args[@]}" >"$log" 2>&1; then
    echo "error: 'meson setup ${args[*]}' failed:" >&2
    tail -n 30 "$log" >&2
    rm -f "$log"
    return 1
  fi
  rm -f "$log"
}
