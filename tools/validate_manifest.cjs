#!/usr/bin/env node
// Validate a Teams app manifest offline against the official JSON schema bundled in
// @microsoft/app-manifest (build/json-schemas/teams/v<manifestVersion>/MicrosoftTeams.schema.json).
//
// Usage: node tools/validate_manifest.cjs <manifest.json | ->
// Prints {"schema": "<file>", "errors": [...]} as JSON on stdout.
// Exit code: 0 valid, 1 schema errors, 2 usage or setup error (message on stderr).
"use strict";

const fs = require("fs");
const path = require("path");

function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(2);
}

async function main() {
  const source = process.argv[2];
  if (!source) fail("usage: node tools/validate_manifest.cjs <manifest.json | ->");
  const text = source === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(source, "utf8");
  let manifest;
  try {
    manifest = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    fail(`manifest is not valid JSON: ${e.message}`);
  }

  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve("@microsoft/app-manifest/package.json"));
  } catch (e) {
    fail("npm package @microsoft/app-manifest is not installed: run `npm ci` at the repository root");
  }
  const { AppManifestUtils } = require("@microsoft/app-manifest");

  const version = manifest.manifestVersion;
  if (typeof version !== "string" || !/^(\d+\.\d+|devPreview)$/.test(version)) {
    fail(`manifestVersion missing or malformed: ${JSON.stringify(version)}`);
  }
  const folder = version === "devPreview" ? "vDevPreview" : `v${version}`;
  const schemaFile = path.join(pkgDir, "build", "json-schemas", "teams", folder, "MicrosoftTeams.schema.json");
  if (!fs.existsSync(schemaFile)) {
    fail(`no bundled schema for manifestVersion ${version} (${schemaFile}); refusing to download one`);
  }
  // Passing the schema explicitly keeps validation offline (no fetch of $schema).
  const schema = JSON.parse(
    fs.readFileSync(schemaFile, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b"),
  );
  const expectedUrl = `https://developer.microsoft.com/en-us/json-schemas/teams/${folder}/MicrosoftTeams.schema.json`;
  const errors = await AppManifestUtils.validateAgainstSchema(manifest, schema);
  if (manifest.$schema !== undefined && manifest.$schema !== expectedUrl) {
    errors.push(`/$schema should be ${expectedUrl} for manifestVersion ${version}`);
  }
  process.stdout.write(JSON.stringify({ schema: path.relative(process.cwd(), schemaFile), errors }) + "\n");
  process.exit(errors.length ? 1 : 0);
}

main().catch((e) => fail(`validation crashed: ${e && e.stack ? e.stack : e}`));
