#!/usr/bin/env bash
# take-screenshots.sh BUILDDIR: takes the metainfo screenshots (compare.png, planner.png in this
# folder) from the offline demo, the way Flathub's quality guidelines ask for them: the window
# alone, its shadow around it, at most 1000×700 in all, default theme and font, no keys.
#
# Runs the built juxta in its own Xvfb and D-Bus session with a throw-away home. Needs Xvfb,
# dbus-run-session, xdotool, ImageMagick and the Inter font (Debian 12: apt-get install xvfb
# dbus xdotool imagemagick fonts-inter). GNOME's default font, Adwaita Sans, is Inter with
# GNOME's tweaks; Debian 12 does not package it, so Inter stands in for it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail

builddir=$(realpath "${1:?usage: take-screenshots.sh BUILDDIR}")
out=$(dirname "$(realpath "$0")")

# A throw-away home for everything started from here on, the session bus included.
if [ -z "${JX_SCREENSHOTS_HOME:-}" ]; then
  # No key from the caller's environment: the screenshots show the demo only.
  for var in $(compgen -e); do
    case $var in *_API_KEY|*_TOKEN|*_SECRET*|AWS_*|GOOGLE_*|AZURE_*) unset "$var" ;; esac
  done
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir -m 700 "$tmp/run"
  env JX_SCREENSHOTS_HOME="$tmp" HOME="$tmp" XDG_CONFIG_HOME="$tmp/config" \
    XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run" \
    dbus-run-session -- "$0" "$@"
  exit
fi
tmp=$JX_SCREENSHOTS_HOME
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR=$builddir/data
export GTK_A11Y=none NO_AT_BRIDGE=1 LANG=C.UTF-8 LANGUAGE=en
# GNOME's defaults: its font (see above) and a close button only.
mkdir -p "$XDG_CONFIG_HOME/gtk-4.0"
printf '[Settings]\ngtk-font-name=Inter 11\ngtk-decoration-layout=:close\n' \
  > "$XDG_CONFIG_HOME/gtk-4.0/settings.ini"

# The window as small as its content allows (its minimum height is about 675).
gsettings set io.github.juxta.Juxta window-width 900
gsettings set io.github.juxta.Juxta window-height 600
gsettings set io.github.juxta.Juxta window-maximized false

exec {dfd}<> <(:)
Xvfb -displayfd "$dfd" -screen 0 1280x800x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
juxta_pid=
cleanup() {
  [ -n "$juxta_pid" ] && kill "$juxta_pid" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
read -r -t 10 display <&"$dfd"
export DISPLAY=":$display"

"$builddir/src/juxta" >"$tmp/juxta.log" 2>&1 &
juxta_pid=$!
window=$(xdotool search --sync --onlyvisible --name '^Juxta')
sleep 2

# The offline demo: four simulated models answer the sample prompt.
gdbus call --session --dest io.github.juxta.Juxta --object-path /io/github/juxta/Juxta/window/1 \
  --method org.gtk.Actions.Activate demo '[]' '{}' >/dev/null
sleep "${JX_SCREENSHOTS_WAIT:-25}"

shoot() {  # NAME: the window with GNOME's rounded top corners and a soft shadow around it
  import -window "$window" "$tmp/window.png"
  w=$(identify -format '%w' "$tmp/window.png")
  h=$(identify -format '%h' "$tmp/window.png")
  convert -size "${w}x${h}" xc:none -fill white \
    -draw "roundrectangle 0,0 $((w - 1)),$((h + 12)) 12,12" "$tmp/mask.png"
  convert "$tmp/window.png" -alpha set "$tmp/mask.png" -compose DstIn -composite \
    \( +clone -background black -shadow 40x14+0+4 \) +swap \
    -background none -compose Over -layers merge +repage -strip "$out/$1"
  identify -format "$1: %wx%h (window ${w}x${h})\n" "$out/$1"
}

# The mouse away from the window: no hover highlight.
xdotool mousemove 1279 799
shoot compare.png

# The planner, fed by the round that just ran: its tab in the header bar.
xdotool mousemove --window "$window" "$((w / 2))" 28 click 1 mousemove 1279 799
sleep 2
shoot planner.png
