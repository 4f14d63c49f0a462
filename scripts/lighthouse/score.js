// Prints one line of scores and metrics for a Lighthouse JSON report and
// exits 1 when a score is below the threshold: performance on "/" only,
// accessibility and best practices on every page (issue 21).
// Usage: node score.js REPORT.json PATH MIN
"use strict";
const fs = require("fs");
const [file, path, minText] = process.argv.slice(2);
const min = Number(minText);
const r = JSON.parse(fs.readFileSync(file, "utf8"));
if (r.runtimeError) {
  console.log(`${path}: lighthouse failed: ${r.runtimeError.code} ${r.runtimeError.message}`);
  process.exit(1);
}
const score = (c) => (r.categories[c] && r.categories[c].score !== null ? r.categories[c].score : NaN);
const metric = (id) => (r.audits[id] ? r.audits[id].displayValue || "" : "");
const perf = score("performance");
const a11y = score("accessibility");
const bp = score("best-practices");
console.log(
  `${path}: performance ${perf.toFixed(2)}, accessibility ${a11y.toFixed(2)}, best practices ${bp.toFixed(2)}` +
    ` (FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")},` +
    ` TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}, SI ${metric("speed-index")};` +
    ` throttling ${r.configSettings.throttlingMethod}, machine benchmark index ${Math.round(r.environment.benchmarkIndex)})`
);
const failed = [];
if (path === "/" && !(perf >= min)) failed.push("performance");
if (!(a11y >= min)) failed.push("accessibility");
if (!(bp >= min)) failed.push("best practices");
if (failed.length === 0) process.exit(0);
console.log(`  below ${min}: ${failed.join(", ")}`);
// What Lighthouse says costs the most: failed audits of the failing categories.
for (const c of ["performance", "accessibility", "best-practices"]) {
  for (const ref of r.categories[c].auditRefs) {
    const a = r.audits[ref.id];
    if (ref.weight > 0 && a.score !== null && a.score < 0.9) {
      console.log(`  ${c}: ${a.id} ${a.score} ${a.displayValue || ""} ${a.title}`);
    }
  }
}
process.exit(1);
