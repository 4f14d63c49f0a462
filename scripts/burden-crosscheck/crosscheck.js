// Cross-checks `coalition burden` against HiGHS (npm package `highs`).
//
// Generates random burden problems with a fixed seed (up to 60 members x 12
// categories; some caps tight enough that the gap cannot be covered), solves
// each with HiGHS as the two-stage LP of issue 3 written in CPLEX LP format,
// and with `coalition burden --batch --json`, and fails (exit 1) if covered or
// deviation differ by more than 1e-6 relative (absolute 1e-6 near zero;
// amounts are in EUR millions, so that is one euro).
//
// usage: node crosscheck.js --bin path/to/coalition [--count 120] [--seed 20250]

"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const loadHighs = require("highs");

function arg(name, def) {
  const i = process.argv.indexOf("--" + name);
  return i >= 0 ? process.argv[i + 1] : def;
}

// mulberry32: a small seeded PRNG, so every run checks the same problems.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (v, d) => Math.round(v * 10 ** d) / 10 ** d;

function randomProblem(r, k) {
  // Every fourth problem is the full 60 x 12; the others are random sizes.
  const nm = k % 4 === 0 ? 60 : 1 + Math.floor(r() * 60);
  const nc = k % 4 === 0 ? 12 : 1 + Math.floor(r() * 12);
  // "tight" problems have small caps, so that much of the gap stays unfilled.
  const tight = k % 3 === 0;
  const categories = [];
  const gap = {};
  for (let j = 0; j < nc; j++) {
    const c = "cat-" + j;
    categories.push(c);
    gap[c] = r() < 0.08 ? 0 : round(r() * 5000, 3);
  }
  const members = [];
  for (let i = 0; i < nm; i++) {
    const m = { iso3: "M" + String(i).padStart(2, "0"), weight: round(r() < 0.05 ? 0 : r() * 4000, 2) };
    if (tight || r() < 0.5) m.cap = round(r() * (tight ? 100 : 2000), 3);
    for (const c of categories) {
      if (r() < 0.3) {
        m.category_caps = m.category_caps || {};
        m.category_caps[c] = round(r() * (tight ? 50 : 800), 3);
      }
    }
    members.push(m);
  }
  members[0].weight += 1; // the weights must not all be zero
  return { categories, gap, members };
}

// lpText writes the constraints shared by both stages.
function constraints(p) {
  const lines = [];
  const x = (i, j) => `x_${i}_${j}`;
  p.members.forEach((m, i) => {
    if (m.cap !== undefined) {
      lines.push(` cap_${i}: ` + p.categories.map((_, j) => x(i, j)).join(" + ") + ` <= ${m.cap}`);
    }
  });
  p.categories.forEach((c, j) => {
    lines.push(` gap_${j}: ` + p.members.map((_, i) => x(i, j)).join(" + ") + ` <= ${p.gap[c]}`);
  });
  const bounds = [];
  p.members.forEach((m, i) => {
    p.categories.forEach((c, j) => {
      const cc = m.category_caps && m.category_caps[c];
      bounds.push(cc !== undefined ? ` 0 <= ${x(i, j)} <= ${cc}` : ` ${x(i, j)} >= 0`);
    });
  });
  return { lines, bounds, all: p.members.flatMap((_, i) => p.categories.map((_, j) => x(i, j))) };
}

function solveHighs(highs, p) {
  const opts = { output_flag: false, primal_feasibility_tolerance: 1e-9, dual_feasibility_tolerance: 1e-9 };
  const { lines, bounds, all } = constraints(p);
  const stage1 = ["Maximize", " covered: " + all.join(" + "), "Subject To", ...lines, "Bounds", ...bounds, "End"].join("\n");
  const t0 = performance.now();
  const s1 = highs.solve(stage1, opts);
  if (s1.Status !== "Optimal") throw new Error("HiGHS stage 1: " + s1.Status);
  const covered = s1.ObjectiveValue;
  const W = p.members.reduce((s, m) => s + m.weight, 0);
  const dev = [];
  p.members.forEach((m, i) => {
    const f = (m.weight / W) * covered;
    const t = p.categories.map((_, j) => `x_${i}_${j}`).join(" + ");
    dev.push(` dp_${i}: ${t} - d_${i} <= ${f}`);
    dev.push(` dn_${i}: ${t} + d_${i} >= ${f}`);
  });
  const stage2 = [
    "Minimize",
    " deviation: " + p.members.map((_, i) => `d_${i}`).join(" + "),
    "Subject To",
    ` keep: ${all.join(" + ")} = ${covered}`,
    ...dev,
    ...lines,
    "Bounds",
    ...bounds,
    ...p.members.map((_, i) => ` d_${i} >= 0`),
    "End",
  ].join("\n");
  const s2 = highs.solve(stage2, opts);
  if (s2.Status !== "Optimal") throw new Error("HiGHS stage 2: " + s2.Status);
  const ms = performance.now() - t0;
  return { covered, deviation: s2.ObjectiveValue, ms };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function close(a, b) {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

async function main() {
  const bin = arg("bin");
  const count = Number(arg("count", "120"));
  const seed = Number(arg("seed", "20250"));
  if (!bin) throw new Error("--bin is required");
  const r = rng(seed);
  const problems = [];
  for (let k = 0; k < count; k++) problems.push(randomProblem(r, k));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "burden-crosscheck-"));
  const file = path.join(dir, "problems.json");
  fs.writeFileSync(file, JSON.stringify(problems));
  const ours = JSON.parse(execFileSync(bin, ["burden", "--batch", "--input", file], { maxBuffer: 1 << 30 }));
  fs.rmSync(dir, { recursive: true });

  const highs = await loadHighs();
  let passed = 0;
  let failed = 0;
  let infeasible = 0;
  let worst = 0;
  const oursMs = [];
  const highsMs = [];
  problems.forEach((p, k) => {
    const o = ours[k];
    const size = `${p.members.length}x${p.categories.length}`;
    if (!o || o.error || !o.result) {
      failed++;
      console.log(`problem ${k} (${size}): coalition failed: ${o && o.error}`);
      return;
    }
    let h;
    try {
      h = solveHighs(highs, p);
    } catch (e) {
      failed++;
      console.log(`problem ${k} (${size}): ${e.message}`);
      return;
    }
    oursMs.push(o.solve_ns / 1e6);
    highsMs.push(h.ms);
    const totalGap = p.categories.reduce((s, c) => s + p.gap[c], 0);
    if (h.covered < totalGap * (1 - 1e-9)) infeasible++;
    for (const [a, b] of [[o.result.covered, h.covered], [o.result.deviation, h.deviation]]) {
      worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b)));
    }
    if (close(o.result.covered, h.covered) && close(o.result.deviation, h.deviation)) {
      passed++;
    } else {
      failed++;
      console.log(
        `problem ${k} (${size}): covered ours ${o.result.covered} HiGHS ${h.covered}; ` +
          `deviation ours ${o.result.deviation} HiGHS ${h.deviation}`,
      );
    }
  });
  const mo = median(oursMs);
  const mh = median(highsMs);
  console.log(`${infeasible} of ${count} problems leave part of the gap unfilled; largest relative difference ${worst.toExponential(2)}`);
  console.log(
    `median solve time: ours ${mo.toFixed(3)} ms, HiGHS ${mh.toFixed(3)} ms (two LP solves incl. LP parsing), ` +
      `HiGHS/ours = ${(mh / mo).toFixed(1)}x`,
  );
  console.log(`crosscheck: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed >= 100 ? 0 : 1);
}

main().catch((e) => {
  console.error("crosscheck:", e);
  process.exit(1);
});
