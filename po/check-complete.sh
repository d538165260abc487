#!/bin/sh
# Fails when a translatable string in POTFILES.in has no (non-fuzzy) translation in LANG.po,
# or when a source file with _() strings is missing from POTFILES.in.
set -eu
srcdir=$1
lang=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$srcdir"

grep -v '^#' po/POTFILES.in | sed '/^$/d' >"$tmp/files"
# Every C file that marks strings must be listed.
missing=$(grep -l -E '(^|[^a-zA-Z0-9_])(_|N_|C_)\(' src/core/*.c src/core/adapters/*.c src/cli/*.c src/gui/*.c src/gui/*/*.c 2>/dev/null | while read -r f; do
  grep -qx "$f" "$tmp/files" || echo "$f"
done)
if [ -n "$missing" ]; then
  echo "not in po/POTFILES.in: $missing"
  exit 1
fi

xgettext --files-from="$tmp/files" --directory=. --output="$tmp/juxta.pot" --from-code=UTF-8 \
  --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format 2>"$tmp/xgettext.log" || {
  cat "$tmp/xgettext.log"; exit 1; }
msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/juxta.pot" -o "$tmp/merged.po"
stats=$(msgfmt --statistics -o /dev/null "$tmp/merged.po" 2>&1)
echo "$lang: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    msgattrib --untranslated "$tmp/merged.po" | grep '^msgid' | head -40
    exit 1 ;;
esac
