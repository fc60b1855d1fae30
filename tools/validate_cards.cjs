#!/usr/bin/env node
// Parse Adaptive Cards with the official renderer library (npm `adaptivecards` 3.x) in plain Node
// and report what it finds wrong with each card: unknown element/action types, invalid property
// values, missing or duplicate input ids, ...
//
// stdin:  a JSON array of cards.
// stdout: a JSON array (same order) of arrays of error strings; [] means the renderer accepts it.
// Exit code 0 when it could check every card (whatever it found), 2 on a setup/usage error.
"use strict";

const fs = require("fs");

function fail(message) {
  process.stderr.write(message + "\n");
  process.exit(2);
}

let AC;
try {
  // dist/adaptivecards.js is the UMD build; parsing and validation need no DOM.
  AC = require("adaptivecards/dist/adaptivecards.js");
} catch (e) {
  fail("npm package adaptivecards is not installed: run `npm ci` at the repository root (" + e.message + ")");
}

// Teams renders Adaptive Cards up to schema 1.5.
const TARGET_VERSION = AC.Versions.v1_5;

function eventName(code) {
  return AC.ValidationEvent && AC.ValidationEvent[code] !== undefined ? AC.ValidationEvent[code] : String(code);
}

function describeSource(source) {
  if (!source) return "";
  try {
    const type = typeof source.getJsonTypeName === "function" ? source.getJsonTypeName() : source.type;
    const id = source.id;
    if (type && id) return ` [${type} id=${id}]`;
    if (type) return ` [${type}]`;
  } catch (e) {
    // Ignore: the description is only a hint.
  }
  return "";
}

function checkCard(json) {
  const errors = [];
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return ["card is not a JSON object"];
  }
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(TARGET_VERSION);
  try {
    card.parse(json, context);
  } catch (e) {
    return [`parse failed: ${e && e.message ? e.message : e}`];
  }
  for (let i = 0; i < context.eventCount; i++) {
    const ev = context.getEventAt(i);
    errors.push(`parse ${eventName(ev.event)}: ${ev.message}${describeSource(ev.source)}`);
  }
  const result = card.validateProperties();
  for (const ev of result.validationEvents) {
    errors.push(`validate ${eventName(ev.event)}: ${ev.message}${describeSource(ev.source)}`);
  }
  return errors;
}

let cards;
try {
  cards = JSON.parse(fs.readFileSync(0, "utf8"));
} catch (e) {
  fail("stdin is not valid JSON: " + e.message);
}
if (!Array.isArray(cards)) fail("stdin must be a JSON array of cards");
process.stdout.write(JSON.stringify(cards.map(checkCard)) + "\n");
