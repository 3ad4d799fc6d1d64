#!/usr/bin/env node
// Compiles every src/main/solidity/**/*.sol with solc-js (standard JSON) and writes
// target/solidity/<Name>.abi, <Name>.bin and <Name>.json for every contract with bytecode.
//
// Env:
//   SOLIDITY_SRC   source root (default: <contracts>/src/main/solidity)
//   SOLIDITY_OUT   output dir  (default: <contracts>/target/solidity)
//   SOLC_FORCE=1   recompile even when outputs are up to date
'use strict';
const fs = require('fs');
const path = require('path');

const moduleDir = path.resolve(__dirname, '..');
const srcDir = path.resolve(process.env.SOLIDITY_SRC || path.join(moduleDir, 'src', 'main', 'solidity'));
const outDir = path.resolve(process.env.SOLIDITY_OUT || path.join(moduleDir, 'target', 'solidity'));
const nodeModules = path.join(moduleDir, 'node_modules');
const stampFile = path.join(outDir, '.stamp');
const MAX_RUNTIME = 24576; // EIP-170

const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  viaIR: true,
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object', 'storageLayout'] } },
};

function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile() && e.name.endsWith('.sol')) out.push(p);
  }
  return out.sort();
}

const files = walk(srcDir);
const unitNames = files.map(f => path.relative(srcDir, f).split(path.sep).join('/'));

// Incremental: skip when the set of sources and the settings are unchanged and no source is newer
// than the last successful compile. Deleting a source changes the key, so stale outputs get removed.
const key = JSON.stringify({ unitNames, SETTINGS, solc: require('solc/package.json').version });
if (!process.env.SOLC_FORCE && fs.existsSync(stampFile)) {
  const stamp = fs.statSync(stampFile);
  const sameKey = fs.readFileSync(stampFile, 'utf8') === key;
  const newer = files.some(f => fs.statSync(f).mtimeMs > stamp.mtimeMs);
  if (sameKey && !newer) {
    console.log(`solidity: ${files.length} source(s) up to date in ${path.relative(process.cwd(), outDir) || '.'}`);
    process.exit(0);
  }
}

const solc = require('solc');

const sources = {};
files.forEach((f, i) => { sources[unitNames[i]] = { content: fs.readFileSync(f, 'utf8') }; });

function findImports(importPath) {
  const candidates = [
    path.join(nodeModules, importPath),   // @openzeppelin/contracts/... and other npm packages
    path.join(srcDir, importPath),        // project-relative imports that solc could not resolve itself
  ];
  for (const c of candidates) {
    if (fs.existsSync(c)) return { contents: fs.readFileSync(c, 'utf8') };
  }
  return { error: `File not found: ${importPath} (looked in ${candidates.join(', ')})` };
}

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });
// Maven copies <Name>.json into target/classes as resources but never deletes them: drop stale copies.
const copiedJson = path.join(moduleDir, 'target', 'classes', 'io', 'gridchain', 'contracts');
if (fs.existsSync(copiedJson)) {
  for (const f of fs.readdirSync(copiedJson)) if (f.endsWith('.json')) fs.rmSync(path.join(copiedJson, f));
}

if (files.length === 0) {
  console.log(`solidity: no .sol files under ${srcDir}`);
  fs.writeFileSync(stampFile, key);
  process.exit(0);
}

const t0 = Date.now();
const output = JSON.parse(solc.compile(JSON.stringify({ language: 'Solidity', sources, settings: SETTINGS }), { import: findImports }));

let fatal = false;
for (const e of output.errors || []) {
  if (e.severity === 'error') { fatal = true; console.error(e.formattedMessage || e.message); }
  else console.error(e.formattedMessage || e.message);
}
if (fatal) {
  console.error('solidity: compilation FAILED');
  process.exit(1);
}

const seen = new Map();
const layouts = new Map();
let count = 0;
for (const [unit, contracts] of Object.entries(output.contracts || {})) {
  for (const [name, c] of Object.entries(contracts)) {
    const bin = c.evm && c.evm.bytecode && c.evm.bytecode.object;
    if (!bin) continue; // interface, abstract contract or library without code
    if (!sources[unit]) continue; // only contracts from our own sources, not from imports
    if (seen.has(name)) {
      console.error(`solidity: duplicate contract name ${name} in ${unit} and ${seen.get(name)}`);
      process.exit(1);
    }
    seen.set(name, unit);
    const runtime = c.evm.deployedBytecode.object;
    fs.writeFileSync(path.join(outDir, name + '.abi'), JSON.stringify(c.abi));
    fs.writeFileSync(path.join(outDir, name + '.bin'), bin);
    fs.writeFileSync(path.join(outDir, name + '.json'), JSON.stringify({
      contractName: name,
      sourceName: unit,
      abi: c.abi,
      bytecode: '0x' + bin,
      deployedBytecode: '0x' + runtime,
    }, null, 2));
    const size = runtime.length / 2;
    console.log(`  ${name.padEnd(32)} runtime ${String(size).padStart(6)} B  (${unit})`);
    if (size > MAX_RUNTIME) {
      console.error(`solidity: ${name} runtime size ${size} B exceeds the EIP-170 limit of ${MAX_RUNTIME} B: no chain would accept it`);
      process.exit(1);
    }
    layouts.set(name, (c.storageLayout && c.storageLayout.storage) || []);
    count++;
  }
}

// GridHub runs GridHubExtension's code by DELEGATECALL on its own storage: every variable of the hub must sit at the
// same slot, offset and type in the extension, or the two would read each other's data as something else.
const slotsOf = l => l.map(v => `${v.label}@${v.slot}:${v.offset}:${v.type}`);
if (layouts.has('GridHub') && layouts.has('GridHubExtension')) {
  const hub = slotsOf(layouts.get('GridHub'));
  const ext = slotsOf(layouts.get('GridHubExtension'));
  const mismatch = hub.findIndex((v, i) => ext[i] !== v);
  if (mismatch >= 0) {
    console.error(`solidity: GridHub and GridHubExtension storage layouts differ at ${hub[mismatch]} (extension: ${ext[mismatch]})`);
    process.exit(1);
  }
  console.log(`  storage layout: GridHubExtension matches GridHub's ${hub.length} variables`);
}
fs.writeFileSync(stampFile, key);
console.log(`solidity: compiled ${files.length} source(s), ${count} deployable contract(s) with solc ${solc.version()} in ${Date.now() - t0} ms`);
