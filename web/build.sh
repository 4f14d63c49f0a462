#!/bin/sh
# build.sh installs the dashboard's front-end libraries from the npm registry
# and copies their built files and licences into ../http/static/vendor/,
# which is committed: the binary serves them, no CDN, works offline.
# Run it after changing package.json, then commit http/static/vendor/.
set -eu
cd "$(dirname "$0")"
npm install --omit-lockfile-registry-resolved --no-audit --no-fund --ignore-scripts
out=../http/static/vendor
rm -rf "$out"
mkdir -p "$out"
# ECharts: only the charts and components dashboard.js uses (echarts-entry.js),
# bundled by esbuild into the same global `echarts` as the full build: 0.67 MB
# instead of 1.1 MB, and a third less work for a phone to evaluate (issue 21).
node_modules/.bin/esbuild echarts-entry.js --bundle --minify --format=iife --global-name=echarts \
	--target=es2017 --legal-comments=none --log-level=warning \
	--banner:js="/*! Apache ECharts $(node -p 'require("./node_modules/echarts/package.json").version'), the modules of web/echarts-entry.js; Apache-2.0, see LICENSE.echarts.txt and NOTICE.echarts.txt */" \
	--outfile="$out/echarts.min.js"
cp node_modules/echarts/LICENSE "$out/LICENSE.echarts.txt"
cp node_modules/echarts/NOTICE "$out/NOTICE.echarts.txt"
cp node_modules/echarts/licenses/LICENSE-d3 "$out/LICENSE.echarts-d3.txt"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$out/LICENSE.htmx.txt"
cp node_modules/topojson-client/dist/topojson-client.min.js "$out/topojson-client.min.js"
cp node_modules/topojson-client/LICENSE "$out/LICENSE.topojson-client.txt"
cp node_modules/world-atlas/countries-110m.json "$out/countries-110m.json"
cp node_modules/world-atlas/LICENSE "$out/LICENSE.world-atlas.txt"
cp vendor-README.md "$out/README.md"
# Versions actually installed, for the record.
node -e 'for (const p of ["echarts","htmx.org","topojson-client","world-atlas","esbuild"]) console.log(p+" "+require("./node_modules/"+p+"/package.json").version)' > "$out/VERSIONS.txt"
echo "vendor files in $out:"
ls -l "$out"
