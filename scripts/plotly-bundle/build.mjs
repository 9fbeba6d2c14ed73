// plotly.js with only the trace types our chart builders draw, built with esbuild from the
// npm package's per-trace modules (plotly.js/lib/<trace>.js), as plotly.js's own partial
// bundles are. Run by build.sh after `npm ci`; the versions come from package-lock.json.
//
//   node build.mjs          write static/plotly/plotly.min.js and its manifest
//   node build.mjs --check  build into memory and fail unless it equals the committed file
//
// The manifest (static/plotly/manifest.json) records the plotly.js and esbuild versions, the
// traces and the file's sha256; tests/dashboards/test_plotly_bundle.py checks it against the
// committed file and the chart builders' trace types.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
const OUT_DIR = join(ROOT, "static", "plotly");
const BUNDLE = join(OUT_DIR, "plotly.min.js");
const MANIFEST = join(OUT_DIR, "manifest.json");

// Every trace type a figure builder makes (go.Bar, go.Box, ...). Add one here, rebuild, and
// list it in the README's credits if it brings a new dependency.
export const TRACES = ["bar", "box", "choropleth", "funnel", "scatter", "scattergeo"];

function version(name) {
  const pkg = JSON.parse(readFileSync(join(HERE, "node_modules", name, "package.json"), "utf8"));
  return pkg.version;
}

const withoutStylesheets = {
  name: "without-stylesheets",
  setup(build) {
    build.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, namespace: "no-css" }));
    build.onLoad({ filter: /.*/, namespace: "no-css" }, () => ({ contents: "", loader: "js" }));
  },
};

async function build() {
  const plotlyVersion = version("plotly.js");
  const entry = [
    "'use strict';",
    "var Plotly = require('plotly.js/lib/core');",
    `Plotly.register([${TRACES.map((t) => `require('plotly.js/lib/${t}')`).join(", ")}]);`,
    "module.exports = Plotly;",
  ].join("\n");
  const banner = [
    "/**",
    `* plotly.js v${plotlyVersion}, partial bundle: ${TRACES.join(", ")}`,
    `* Built by scripts/plotly-bundle/build.mjs with esbuild ${esbuild.version}; see manifest.json.`,
    "* Copyright 2012-2026, Plotly, Inc. All rights reserved. Licensed under the MIT license.",
    "*/",
  ].join("\n");
  // The options of plotly.js's own esbuild-config.js, less the plugins its WebGL and MapLibre
  // traces need (GLSL shaders, inlined CSS): none of ours uses them. plotly.js's registry
  // requires MapLibre's stylesheet whenever it is bundled, but only uses it when a map trace
  // registers; with none, it is replaced by an empty module (83 KB of CSS less).
  const result = await esbuild.build({
    stdin: { contents: entry, resolveDir: HERE, sourcefile: "plotly-partial.js", loader: "js" },
    bundle: true,
    format: "iife",
    globalName: "Plotly",
    minify: true,
    target: "es2016",
    define: { global: "window", "define.amd": "false", "process.env.NODE_DEBUG": "false" },
    banner: { js: banner },
    legalComments: "eof",
    write: false,
    metafile: true,
    plugins: [withoutStylesheets],
    logLevel: "warning",
  });
  return {
    code: result.outputFiles[0].contents,
    packages: bundledPackages(result.metafile),
    manifest: {
      file: relative(ROOT, BUNDLE),
      "plotly.js": plotlyVersion,
      esbuild: esbuild.version,
      traces: TRACES,
      bytes: result.outputFiles[0].contents.length,
      sha256: createHash("sha256").update(result.outputFiles[0].contents).digest("hex"),
    },
  };
}

// The npm packages whose code is in the bundle, with their licences (for the README's credits).
function bundledPackages(metafile) {
  const found = {};
  for (const input of Object.keys(Object.values(metafile.outputs)[0].inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (!match || found[match[1]]) continue;
    const pkg = JSON.parse(readFileSync(join(HERE, "node_modules", match[1], "package.json"), "utf8"));
    found[match[1]] = `${pkg.version} (${pkg.license || "see its package"})`;
  }
  return Object.fromEntries(Object.entries(found).sort());
}

const { code, packages, manifest } = await build();
manifest.packages = packages;
if (process.argv.includes("--check")) {
  const committed = readFileSync(BUNDLE);
  if (!committed.equals(Buffer.from(code))) {
    console.error(`${manifest.file} differs from a fresh build (sha256 ${manifest.sha256})`);
    process.exit(1);
  }
  console.log(`${manifest.file} is reproducible: sha256 ${manifest.sha256}`);
} else {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(BUNDLE, code);
  writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + "\n");
  console.log(`${manifest.file}: ${manifest.bytes.toLocaleString("en")} bytes, ${manifest.sha256}`);
}
