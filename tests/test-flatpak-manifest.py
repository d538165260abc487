#!/usr/bin/env python3
# test-flatpak-manifest.py: checks a Flatpak manifest offline against the manifest rules of
# Flathub's linter, flatpak-builder-lint (https://github.com/flathub-infra/flatpak-builder-lint,
# flatpak_builder_lint/checks/{appid,toplevel,finish_args,modules,eolruntime}.py and
# staticfiles/flatpak-manifest.schema.json), and checks that every dependency() the meson
# build asks for is either in the GNOME runtime or bundled as a module of the manifest.
#
# Failures name the upstream check id where there is one ("module-juxta-source-dir-not-allowed");
# checks of our own are prefixed "juxta-".
#
# Usage: test-flatpak-manifest.py [--strict] MANIFEST APP_ID
#
#   MANIFEST  flatpak/<id>.json; the meson project is the parent of its directory.
#   APP_ID    the id the manifest must build. An id ending in ".Devel" is the development
#             form: it may (must) build the local checkout with a "dir" source, which Flathub
#             refuses; any other id is the release form, which Flathub would accept.
#   --strict  also fail on what can only be filled in when the release is tagged (the
#             all-zero commit placeholder of the release form). Run it before submitting.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

# The newest stable GNOME runtime on Flathub. flatpak-builder-lint asks Flathub for it
# (runtime-update-available-to-..., runtime-is-eol-...); offline, it is written here. GNOME
# releases a new runtime every March and September: bump it then.
CURRENT_GNOME_RUNTIME = "51"

# pkg-config names that org.gnome.Sdk provides (org.gnome.Platform ships the libraries):
# from GNOME's gnome-build-meta elements/sdk/*.bst, or from the Freedesktop SDK it is built on
# (freedesktop-sdk elements/components/*.bst). md4c is in neither: the manifest bundles it.
RUNTIME_PKG_CONFIG = {
    "glib-2.0": "gnome-build-meta elements/sdk/glib.bst",
    "gio-2.0": "gnome-build-meta elements/sdk/glib.bst",
    "gio-unix-2.0": "gnome-build-meta elements/sdk/glib.bst",
    "gobject-2.0": "gnome-build-meta elements/sdk/glib.bst",
    "gtk4": "gnome-build-meta elements/sdk/gtk.bst",
    "libadwaita-1": "gnome-build-meta elements/sdk/libadwaita.bst",
    "libsoup-3.0": "gnome-build-meta elements/sdk/libsoup.bst",
    "json-glib-1.0": "gnome-build-meta elements/sdk/json-glib.bst",
    "libsecret-1": "gnome-build-meta elements/sdk/libsecret.bst",
    "sqlite3": "freedesktop-sdk elements/components/sqlite.bst",
    "gnutls": "freedesktop-sdk elements/components/gnutls.bst",
}

# The permissions Juxta needs: network for the providers, a display, GPU rendering. API keys
# go through libsecret, which uses the Secret portal inside the sandbox: no talk-name.
EXPECTED_FINISH_ARGS = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=ipc",
    "--device=dri",
}

# Property names of staticfiles/flatpak-manifest.schema.json (manifest-unknown-properties).
TOPLEVEL_PROPERTIES = {
    "add-build-extensions", "add-extensions", "app-id", "appdata-license", "appstream-compose",
    "base", "base-extensions", "base-version", "branch", "build-extension", "build-options",
    "build-runtime", "cleanup", "cleanup-commands", "cleanup-platform",
    "cleanup-platform-commands", "collection-id", "command", "copy-icon", "default-branch",
    "desktop-file-name-prefix", "desktop-file-name-suffix", "extension-tag", "finish-args", "id",
    "id-platform", "inherit-extensions", "inherit-sdk-extensions", "metadata",
    "metadata-platform", "modules", "platform-extensions", "prepare-platform-commands",
    "rename-appdata-file", "rename-desktop-file", "rename-icon", "rename-mime-file",
    "rename-mime-icons", "runtime", "runtime-version", "sdk", "sdk-extensions",
    "separate-locales", "tags", "var", "writable-sdk",
}
MODULE_PROPERTIES = {
    "build-commands", "build-options", "builddir", "buildsystem", "cleanup", "cleanup-platform",
    "cmake", "config-opts", "disabled", "ensure-writable", "install-rule", "license-files",
    "make-args", "make-install-args", "modules", "name", "no-autogen", "no-make-install",
    "no-parallel-make", "no-python-timestamp-fix", "only-arches", "post-install", "rm-configure",
    "run-tests", "secret-opts", "skip-arches", "sources", "subdir", "test-commands", "test-rule",
}
SOURCE_PROPERTIES = {
    "archive": {"archive-type", "dest", "dest-filename", "disable-http-decompression",
                "git-init", "md5", "mirror-urls", "only-arches", "path", "referer", "sha1",
                "sha256", "sha512", "skip-arches", "strip-components", "type", "url"},
    "git": {"branch", "commit", "dest", "disable-fsckobjects", "disable-lfs",
            "disable-shallow-clone", "disable-submodules", "only-arches", "path", "skip-arches",
            "tag", "type", "url"},
    "dir": {"dest", "only-arches", "path", "skip", "skip-arches", "type"},
    "file": {"dest", "dest-filename", "disable-http-decompression", "md5", "mirror-urls",
             "only-arches", "path", "referer", "sha1", "sha256", "sha512", "skip-arches", "type",
             "url"},
    "patch": {"dest", "only-arches", "options", "path", "paths", "skip-arches",
              "strip-components", "type", "use-git", "use-git-am"},
}

PLACEHOLDER_COMMIT = "0" * 40

# Flathub's quality guidelines (https://docs.flathub.org/docs/for-app-authors/metainfo-guidelines/
# quality-guidelines): the window at most 1000×700 logical pixels, its shadow around it.
SCREENSHOT_MAX = (1000, 700)

failures = []
pending = []


def check(condition, message):
    print(("ok     " if condition else "FAILED ") + message)
    if not condition:
        failures.append(message)
    return condition


def unknown_keys(obj, known):
    return sorted(k for k in obj if k not in known and not k.startswith(("x-", "//", "$schema")))


def check_toplevel(manifest):
    check(not unknown_keys(manifest, TOPLEVEL_PROPERTIES),
          f"manifest-unknown-properties: top level {unknown_keys(manifest, TOPLEVEL_PROPERTIES)}")
    command = manifest.get("command")
    check(bool(command), "toplevel-no-command: the manifest names a command")
    check(not (command or "").startswith("/"), f"toplevel-command-is-path: {command!r}")
    check("branch" not in manifest, "toplevel-unnecessary-branch")
    check(not any(c == "/lib/debug" or c.startswith("/lib/debug/")
                  for c in manifest.get("cleanup", [])), "toplevel-cleanup-debug")
    check(bool(manifest.get("modules")), "toplevel-no-modules: there is at least one module")
    check("app-id" not in manifest, "juxta-legacy-app-id: the id is in \"id\", not \"app-id\"")
    network = "--share=network" in manifest.get("build-options", {}).get("build-args", [])
    check(not network, "manifest-toplevel-build-network-access")


def check_appid(manifest, manifest_path, app_id):
    appid = manifest.get("id")
    check(appid == app_id, f"juxta-appid: id is {app_id} (got {appid!r})")
    basename = os.path.splitext(os.path.basename(manifest_path))[0]
    check(appid == basename, f"appid-filename-mismatch: id {appid!r}, file name {basename!r}")
    check(not os.path.islink(manifest_path), "manifest-file-is-symlink")
    if not check(isinstance(appid, str) and appid != "", "appid-not-defined"):
        return
    split = appid.split(".")
    check(len(appid) <= 255, "appid-length-more-than-255-chars")
    check(len(split) >= 3, "appid-less-than-3-components")
    check(all(re.match(r"^[A-Za-z_][\w\-]*$", c) for c in split), "appid-component-wrong-syntax")
    check(len(split) <= 5, "appid-too-many-components-for-app")
    check(split[-1] != "desktop", "appid-ends-with-lowercase-desktop")
    domain, tld = split[1].lower(), split[0].lower()
    if domain in ("github", "gitlab"):
        check(tld == "io", f"appid-uses-code-hosting-domain: {domain}.{tld}")
        check(len(split) >= 4, "appid-code-hosting-too-few-components")
    if domain == "codeberg":
        check(tld == "page", f"appid-uses-code-hosting-domain: {domain}.{tld}")
        check(len(split) >= 4, "appid-code-hosting-too-few-components")


def check_runtime(manifest):
    check(manifest.get("runtime") == "org.gnome.Platform", "juxta-runtime: org.gnome.Platform")
    check(manifest.get("sdk") == "org.gnome.Sdk", "juxta-sdk: org.gnome.Sdk")
    version = manifest.get("runtime-version")
    check(isinstance(version, str), "juxta-runtime-version-is-string")
    check(version == CURRENT_GNOME_RUNTIME,
          f"runtime-update-available-to-org.gnome.Platform-{CURRENT_GNOME_RUNTIME} "
          f"(runtime-version is {version!r})")


def check_finish_args(manifest):
    args = manifest.get("finish-args", [])
    check(len(args) == len(set(args)), "juxta-finish-args-duplicates: none")
    sockets = {a.split("=", 1)[1] for a in args if a.startswith("--socket=")}
    shares = {a.split("=", 1)[1] for a in args if a.startswith("--share=")}
    talk = [a.split("=", 1)[1] for a in args if a.startswith("--talk-name=")]
    own = [a.split("=", 1)[1] for a in args if a.startswith("--own-name=")]
    fs = [a.split("=", 1)[1] for a in args if a.startswith("--filesystem=")]
    check(not ("x11" in sockets and "fallback-x11" in sockets),
          "finish-args-contains-both-x11-and-fallback")
    check(not ("x11" in sockets and "wayland" in sockets),
          "finish-args-contains-both-x11-and-wayland")
    check(not ({"x11", "fallback-x11"} & sockets) or "ipc" in shares,
          "finish-args-x11-without-ipc")
    check("fallback-x11" not in sockets or "wayland" in sockets,
          "finish-args-fallback-x11-without-wayland")
    check("wayland" not in sockets or bool({"x11", "fallback-x11"} & sockets),
          "finish-args-only-wayland")
    check("gpg-agent" not in sockets, "finish-args-has-socket-gpg-agent")
    check("ssh-auth" not in sockets, "finish-args-has-socket-ssh-auth")
    check("inherit-wayland-socket" not in sockets, "finish-args-contains-inherit-wayland-socket")
    for name in talk:
        check(not name.startswith("org.freedesktop.portal."), "finish-args-portal-talk-name")
        check(name not in ("org.freedesktop.Flatpak", "org.freedesktop.Flatpak.*"),
              "finish-args-flatpak-spawn-access")
        check(not name.startswith("ca.desrt.dconf"), "finish-args-dconf-talk-name")
        check(name != "org.freedesktop.Secrets",
              "finish-args-incorrect-secret-service-talk-name")
        check(not name.startswith(manifest.get("id", "\0")),
              "finish-args-unnecessary-appid-talk-name")
    for name in own:
        check(not name.startswith(manifest.get("id", "\0")),
              "finish-args-unnecessary-appid-own-name")
    for path in fs:
        bare = re.sub(r":(ro|rw|create)$", "", path)
        check(bare not in ("home", "~", "~/", "host", "host-root", "host-etc", "host-os"),
              f"finish-args-{bare}-filesystem-access")
    check(set(args) == EXPECTED_FINISH_ARGS,
          f"juxta-finish-args: exactly {sorted(EXPECTED_FINISH_ARGS)} (got {sorted(args)})")


def iter_modules(modules):
    for module in modules:
        if isinstance(module, dict):
            yield module
            yield from iter_modules(module.get("modules", []))


def check_source(name, source, manifest_dir, development):
    if not check(isinstance(source, dict), f"juxta-module-{name}-inline-source: sources are "
                 "objects, not paths to other files"):
        return
    kind = source.get("type")
    known = SOURCE_PROPERTIES.get(kind)
    check(known is not None, f"juxta-module-{name}-source-type: {kind!r} is archive, git, dir, "
          "file or patch")
    if known:
        check(not unknown_keys(source, known),
              f"manifest-unknown-properties: {kind} source of {name} {unknown_keys(source, known)}")
    check("/" not in source.get("dest-filename", ""),
          f"module-{name}-source-dest-filename-is-path")
    if kind in ("archive", "file"):
        check("sha1" not in source, f"module-{name}-source-sha1-deprecated")
        check("md5" not in source, f"module-{name}-source-md5-deprecated")
        if "url" in source:
            check(re.fullmatch(r"[0-9a-f]{64}", source.get("sha256", "")) is not None
                  or re.fullmatch(r"[0-9a-f]{128}", source.get("sha512", "")) is not None,
                  f"juxta-module-{name}-source-checksum: a downloaded {kind} has a sha256")
            check(source["url"].startswith("https://"),
                  f"juxta-module-{name}-source-https: {source['url']}")
    if kind == "dir":
        check(development, f"module-{name}-source-dir-not-allowed: Flathub builds no local "
              "directory; only the .Devel manifest may")
        path = os.path.normpath(os.path.join(manifest_dir, source.get("path", "")))
        check(os.path.isfile(os.path.join(path, "meson.build")),
              f"juxta-module-{name}-dir-source: {path} is the meson project")
    if kind == "git":
        url, commit = source.get("url"), source.get("commit")
        tag, branch = source.get("tag"), source.get("branch")
        if not check(bool(url), f"module-{name}-source-git-no-url"):
            return
        check(url.startswith(("http://", "https://")), f"module-{name}-source-git-url-not-http")
        check(any([commit, branch, tag]), f"module-{name}-source-git-no-tag-commit-branch")
        check(not tag or bool(commit), f"module-{name}-source-git-no-commit-with-tag")
        check(not branch, f"module-{name}-source-git-branch: pin a tag and a commit instead")
        if commit:
            check(re.fullmatch(r"[0-9a-f]{40}", commit) is not None,
                  f"juxta-module-{name}-source-git-commit: a full 40-digit commit id")
            if commit == PLACEHOLDER_COMMIT:
                pending.append(f"module {name}: commit of tag {tag} (all zeros now)")


def check_modules(manifest, manifest_dir, development):
    modules = list(iter_modules(manifest.get("modules", [])))
    check(all(isinstance(m, dict) for m in manifest.get("modules", [])),
          "juxta-inline-modules: modules are written in the manifest")
    for module in modules:
        name = module.get("name")
        check(bool(name), "juxta-module-name: every module has a name")
        check(not unknown_keys(module, MODULE_PROPERTIES),
              f"manifest-unknown-properties: module {name} "
              f"{unknown_keys(module, MODULE_PROPERTIES)}")
        network = "--share=network" in module.get("build-options", {}).get("build-args", [])
        check(not network, f"module-{name}-build-network-access")
        if module.get("buildsystem", "autotools") == "autotools":
            check(not any(o.startswith("--enable-debug") and not o.endswith("=no")
                          for o in module.get("config-opts", [])),
                  f"module-{name}-autotools-non-release-build")
        check(not any(c == "/lib/debug" or c.startswith("/lib/debug/")
                      for c in module.get("cleanup", [])), f"module-{name}-cleanup-debug")
        git_dests = {}
        for source in module.get("sources", []):
            if isinstance(source, dict) and source.get("type") == "git":
                git_dests.setdefault(source.get("dest", "."), []).append(source.get("url"))
        check(all(len(u) <= 1 for u in git_dests.values()),
              f"module-{name}-multiple-git-sources-stacked")
        check(bool(module.get("sources")), f"juxta-module-{name}-sources: the module has sources")
        for source in module.get("sources", []):
            check_source(name, source, manifest_dir, development)
    return modules


def meson_dependencies(project_dir):
    """Every dependency('name' ...) in the project's meson.build files."""
    names = set()
    for root, dirs, files in os.walk(project_dir):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_build", "build"))]
        if "meson.build" in files:
            with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
                text = re.sub(r"#.*", "", f.read())
            names.update(re.findall(r"(?<![\w.])dependency\(\s*'([^']+)'", text))
    return names


def meson_app_id(project_dir):
    with open(os.path.join(project_dir, "meson.build"), encoding="utf-8") as f:
        match = re.search(r"^(?:base_app_id|app_id)\s*=\s*'([^']+)'", f.read(), re.MULTILINE)
    return match.group(1) if match else None


def png_alpha_rows(path):
    """(width, height, rows of alpha values) of an 8-bit RGBA PNG, else (width, height, None)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if (depth, colour, interlace) != (8, 6, 0):
        return width, height, None
    raw, stride, rows, prev = zlib.decompress(b"".join(idat)), width * 4, [], bytearray(width * 4)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - 4] if x >= 4 else 0
            b = prev[x]
            c = prev[x - 4] if x >= 4 else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line[3::4]))
        prev = line
    return width, height, rows


def check_screenshot_file(file, name):
    """The window at most 1000×700, with a shadow around it (Flathub's quality guidelines)."""
    png = png_alpha_rows(file) if os.path.isfile(file) else None
    if not check(png is not None, f"juxta-screenshot-file: {name} is a PNG"):
        return
    width, height, rows = png
    if not check(rows is not None, f"juxta-screenshot-shadow: {name} is RGBA, so that it can "
                 "carry the window's shadow"):
        return
    opaque = [y for y, row in enumerate(rows) if 255 in row]
    xs = [x for row in rows for x in (row.find(255), row.rfind(255)) if x >= 0]
    win = (max(xs) - min(xs) + 1, opaque[-1] - opaque[0] + 1) if opaque else (0, 0)
    check(0 < win[0] <= SCREENSHOT_MAX[0] and 0 < win[1] <= SCREENSHOT_MAX[1],
          f"juxta-screenshot-size: the window in {name} is {win[0]}×{win[1]}, "
          f"at most {SCREENSHOT_MAX[0]}×{SCREENSHOT_MAX[1]}")
    margin = [rows[y][x] for y in (0, height // 2, height - 1) for x in range(width)
              if not (opaque and opaque[0] <= y <= opaque[-1] and min(xs) <= x <= max(xs))]
    check(bool(margin) and rows[0][0] < 16 and any(16 <= a < 255 for a in margin),
          f"juxta-screenshot-shadow: {name} has the window's shadow around it")


def check_metainfo(project_dir, base_id):
    """What Flathub reads from the metainfo: screenshots, releases, OARS, branding."""
    path = os.path.join(project_dir, "data", base_id + ".metainfo.xml.in")
    if not check(os.path.isfile(path), f"appstream-metainfo-missing: {path}"):
        return
    root = ET.parse(path).getroot()
    check(root.findtext("id") == base_id, f"juxta-metainfo-id: <id> is {base_id}")
    check(root.findtext("launchable") == base_id + ".desktop",
          "juxta-metainfo-launchable: the desktop file of the same id")

    shots = root.findall("screenshots/screenshot")
    check(len(shots) > 0, "metainfo-missing-screenshots")
    check(any(s.get("type") == "default" for s in shots), "juxta-screenshot-default: one is")
    for shot in shots:
        url = (shot.findtext("image") or "").strip()
        check(url.startswith("https://"), f"juxta-screenshot-url: https ({url})")
        check(not url.endswith(".svg"), "metainfo-svg-screenshots")
        check(bool((shot.findtext("caption") or "").strip()),
              f"juxta-screenshot-caption: {os.path.basename(url)} has a caption")
        local = re.search(r"/(data/screenshots/[^/]+)$", url)
        if check(local is not None, f"juxta-screenshot-in-repository: {url} is a file of "
                 "data/screenshots/ at the release tag"):
            check_screenshot_file(os.path.join(project_dir, local.group(1)), local.group(1))

    releases = root.findall("releases/release")
    check(len(releases) > 0, "juxta-metainfo-releases: at least one release")
    for release in releases:
        check(re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.get("date", "")) is not None,
              f"juxta-release-date: release {release.get('version')} has a date")
    with open(os.path.join(project_dir, "meson.build"), encoding="utf-8") as f:
        version = re.search(r"version:\s*'([^']+)'", f.read())
    check(bool(releases) and version is not None and releases[0].get("version") == version.group(1),
          "juxta-release-version: the newest release is meson's project version")

    rating = root.find("content_rating")
    check(rating is not None and rating.get("type") == "oars-1.1",
          "juxta-metainfo-oars: <content_rating type=\"oars-1.1\">")

    colours = {c.get("scheme_preference"): (c.text or "").strip().lower()
               for c in root.findall("branding/color") if c.get("type") == "primary"}
    check(set(colours) == {"light", "dark"},
          "juxta-branding: a primary colour for the light and for the dark scheme")
    icon = os.path.join(project_dir, "data", "icons", base_id + ".svg")
    icon_colours = set()
    if os.path.isfile(icon):
        with open(icon, encoding="utf-8") as f:
            icon_colours = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}\b", f.read())}
    def rgb(colour):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))

    # The banner must not swallow the icon: each brand colour is far (in RGB) from every colour
    # the icon is drawn with.
    for scheme, colour in sorted(colours.items()):
        valid = re.fullmatch(r"#[0-9a-f]{6}", colour) is not None
        near = [c for c in sorted(icon_colours)
                if valid and sum((a - b) ** 2 for a, b in zip(rgb(colour), rgb(c))) < 80 ** 2]
        check(valid and not near,
              f"juxta-branding-{scheme}: {colour} is far from the icon's colours (near: {near})")


def main():
    args = sys.argv[1:]
    strict = "--strict" in args
    args = [a for a in args if a != "--strict"]
    if len(args) != 2:
        print("usage: test-flatpak-manifest.py [--strict] MANIFEST APP_ID", file=sys.stderr)
        return 2
    manifest_path, app_id = args
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))
    project_dir = os.path.dirname(manifest_dir)
    development = app_id.endswith(".Devel")

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        check(False, f"manifest-invalid-json: {e}")
        return 1
    if not check(isinstance(manifest, dict), "manifest-invalid-json: a JSON object"):
        return 1

    check_appid(manifest, manifest_path, app_id)
    check_toplevel(manifest)
    check_runtime(manifest)
    check_finish_args(manifest)
    modules = check_modules(manifest, manifest_dir, development)

    # The app: the last module, built with meson from the form the id asks for.
    app = manifest.get("modules", [{}])[-1] if manifest.get("modules") else {}
    app = app if isinstance(app, dict) else {}
    opts = app.get("config-opts", [])
    kinds = {s.get("type") for s in app.get("sources", []) if isinstance(s, dict)}
    check(app.get("buildsystem") == "meson", "juxta-app-module: the last module is built with meson")
    base_id = meson_app_id(project_dir)
    check(base_id is not None and app_id in (base_id, base_id + ".Devel"),
          f"juxta-meson-app-id: {app_id} is meson.build's base_app_id {base_id!r} or its .Devel")
    if development:
        check(kinds == {"dir"}, "juxta-devel-source: the .Devel manifest builds the local checkout")
        check("-Dprofile=development" in opts,
              "juxta-devel-profile: the .Devel manifest configures -Dprofile=development, "
              "so the installed files carry the .Devel id")
    else:
        check(kinds in ({"git"}, {"archive"}),
              "juxta-release-source: the release manifest builds a git tag or a release archive")
        check("--buildtype=release" in opts, "juxta-release-buildtype: --buildtype=release")
        check(not any(o.startswith("-Dprofile=") and o != "-Dprofile=default" for o in opts),
              "juxta-release-profile: the release builds the default profile")

    # Every library meson asks for is in the runtime or built by a module before the app.
    bundled = {m.get("name") for m in modules if m is not app}
    for dep in sorted(meson_dependencies(project_dir)):
        where = RUNTIME_PKG_CONFIG.get(dep) or ("bundled module" if dep in bundled else None)
        check(where is not None,
              f"juxta-dependency-{dep}: in org.gnome.Sdk or bundled ({where or 'neither'})")
    for name in sorted(bundled):
        check(name not in RUNTIME_PKG_CONFIG,
              f"juxta-bundled-{name}: not bundled when the runtime has it")

    if base_id is not None:
        check_metainfo(project_dir, base_id)

    for item in pending:
        print(("FAILED " if strict else "pending ") + "to fill in when tagging: " + item)
        if strict:
            failures.append(item)

    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
