#!/bin/sh
# Rebuild static/plotly/plotly.min.js (plotly.js with only our trace types) and its manifest,
# reproducibly: the exact plotly.js and esbuild of package-lock.json, installed by `npm ci`
# into node_modules/ here (git-ignored). Needs Node.js 20 or later and npm.
#
#   scripts/plotly-bundle/build.sh           rebuild and rewrite the manifest
#   scripts/plotly-bundle/build.sh --check   fail unless a fresh build equals the committed file
#
# To change versions: edit package.json, run `npm install` here (it rewrites package-lock.json),
# then this script; commit package.json, package-lock.json, the bundle and its manifest, and run
# scripts/plotly_css.py (plotly.js's CSS for our Content Security Policy).
set -eu
cd "$(dirname "$0")"
# plotly.js 4 declares node >= 22 for its own build and tests; its sources bundle fine on 20.
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
node build.mjs "$@"
