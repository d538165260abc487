#!/usr/bin/env python3
# test-flatpak-manifest.py: checks the Flatpak manifest against the rules Flathub's
# linter applies, offline.
#
# Usage: test-flatpak-manifest.py MANIFEST APP_ID
#
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import re
import sys

EXPECTED_FINISH_ARGS = {
    "--share=network",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--share=ipc",
    "--device=dri",
}

failures = []


def check(condition, message):
    print(("ok     " if condition else "FAILED ") + message)
    if not condition:
        failures.append(message)


def local_paths(modules):
    """Yield every local path the modules name: module files, source files and dirs."""
    for module in modules:
        if isinstance(module, str):
            yield module
            continue
        for source in module.get("sources", []):
            if isinstance(source, str):
                yield source
                continue
            if "path" in source:
                yield source["path"]
            yield from source.get("paths", [])
        yield from local_paths(module.get("modules", []))


def main():
    if len(sys.argv) != 3:
        print("usage: test-flatpak-manifest.py MANIFEST APP_ID", file=sys.stderr)
        return 2
    manifest_path, app_id = sys.argv[1], sys.argv[2]
    manifest_dir = os.path.dirname(os.path.abspath(manifest_path))

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        check(False, f"manifest parses as JSON ({e})")
        return 1
    check(isinstance(manifest, dict), "manifest is a JSON object")

    check(os.path.basename(manifest_path) == app_id + ".json", "file name is <app id>.json")
    check(manifest.get("id") == app_id, f"id is {app_id} (got {manifest.get('id')!r})")
    check("app-id" not in manifest and "branch" not in manifest, "no legacy app-id, no branch")
    check(re.fullmatch(r"[a-z][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){2,3}\.[A-Za-z_][A-Za-z0-9_-]*",
                       app_id) is not None, "app id has 4 or 5 valid components")

    check(manifest.get("runtime") == "org.gnome.Platform", "runtime is org.gnome.Platform")
    check(manifest.get("sdk") == "org.gnome.Sdk", "sdk is org.gnome.Sdk")
    check(isinstance(manifest.get("runtime-version"), str), "runtime-version is a string")

    command = manifest.get("command")
    check(isinstance(command, str) and command != "" and "/" not in command,
          f"command is a bare program name (got {command!r})")

    finish_args = manifest.get("finish-args", [])
    check(len(finish_args) == len(set(finish_args)), "finish-args has no duplicates")
    check(set(finish_args) == EXPECTED_FINISH_ARGS,
          f"finish-args are exactly {sorted(EXPECTED_FINISH_ARGS)} (got {sorted(finish_args)})")

    modules = manifest.get("modules", [])
    check(isinstance(modules, list) and len(modules) >= 1, "there is at least one module")
    if modules:
        app_module = modules[-1]
        check(isinstance(app_module, dict) and app_module.get("buildsystem") == "meson",
              "the last module is the app, built with meson")
        check("--buildtype=release" in app_module.get("config-opts", []),
              "the app module builds with --buildtype=release")

    paths = [os.path.normpath(os.path.join(manifest_dir, p)) for p in local_paths(modules)]
    check(len(paths) > 0, "the manifest names local sources")
    for path in paths:
        check(os.path.exists(path), f"local path {path} exists")
    check(any(os.path.isfile(os.path.join(p, "meson.build")) for p in paths),
          "a local dir source is the meson project")

    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
