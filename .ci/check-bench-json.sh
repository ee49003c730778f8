#!/usr/bin/env bash
# Checks a vae-bench JSON file: a non-empty array whose every object has the documented keys and
# positive, finite median/min/max. Uses no Python: the project's tests and CI must not need it.
set -euo pipefail
file=$1
[ -s "$file" ] || { echo "bench json: $file is empty or missing" >&2; exit 1; }
count=$(grep -c '"suite"' "$file" || true)
[ "$count" -gt 0 ] || { echo "bench json: no measurements in $file" >&2; exit 1; }
for key in name threads median min max unit; do
    have=$(grep -c "\"$key\" :" "$file" || true)
    [ "$have" -ge "$count" ] || { echo "bench json: key $key missing from some measurements" >&2; exit 1; }
done
bad=$(grep -E '"(median|min|max)" :' "$file" \
    | awk -F: '{ gsub(/[ ,]/, "", $2); if (!($2 + 0 > 0) || $2 ~ /nan|inf/) print }')
if [ -n "$bad" ]; then
    echo "bench json: non-positive or non-finite figures in $file:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "bench json: $count measurements, all positive"
