#!/usr/bin/env bash
# Builds examples/api-client against SwiftVAE as a *versioned* dependency: a throw-away git
# repository holding the committed tree, tagged 0.1.0, fetched by URL. This is the case where
# SwiftPM rejects unsafe flags, so it proves the manifest stays clean for dependents and that the
# documented API compiles exactly as written from another package.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q . "$work/SwiftVAE"
# The committed tree (HEAD) is what is checked: commit before running this by hand.
(cd "$work/SwiftVAE" && git tag 0.1.0)
cp -R examples/api-client "$work/client"
rm -rf "$work/client/.build"
cd "$work/client"
SWIFTVAE_CLIENT_DEPENDENCY_URL="file://$work/SwiftVAE" swift build -c release \
    -Xswiftc -target-cpu -Xswiftc native 2>&1 | tail -n 3
SWIFTVAE_CLIENT_DEPENDENCY_URL="file://$work/SwiftVAE" swift run -c release \
    -Xswiftc -target-cpu -Xswiftc native api-client
