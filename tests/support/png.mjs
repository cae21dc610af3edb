/**
 * Small PNGs for the README: a screenshot scaled to a width, its colours reduced to a 256-entry
 * palette (median cut over a 15-bit histogram, no dithering: UI screenshots are flat colours),
 * written as an 8-bit indexed PNG. Dashboards screenshots shrink to about a third of Chromium's
 * truecolour PNGs. Only @napi-rs/canvas (already a dev dependency) and node's zlib.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** 5 bits per channel: the histogram key of an RGB colour. */
const key = (r, g, b) => ((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3);

/** Median cut: splits the box with the most pixels along its widest channel until `size` boxes. */
function medianCut(counts, size) {
  const colours = [];
  for (let k = 0; k < counts.length; k++) if (counts[k]) colours.push(k);
  const channel = (k, c) => (k >> (10 - 5 * c)) & 31;
  const boxes = [colours];
  while (boxes.length < size) {
    let best = -1;
    let bestPixels = 0;
    boxes.forEach((box, i) => {
      if (box.length < 2) return;
      const pixels = box.reduce((n, k) => n + counts[k], 0);
      if (pixels > bestPixels) {
        bestPixels = pixels;
        best = i;
      }
    });
    if (best < 0) break;
    const box = boxes[best];
    const ranges = [0, 1, 2].map((c) => Math.max(...box.map((k) => channel(k, c))) - Math.min(...box.map((k) => channel(k, c))));
    const c = ranges.indexOf(Math.max(...ranges));
    box.sort((a, b) => channel(a, c) - channel(b, c));
    // split where half of the box's pixels are on each side
    let seen = 0;
    let cut = 1;
    for (; cut < box.length - 1; cut++) {
      seen += counts[box[cut - 1]];
      if (seen >= bestPixels / 2) break;
    }
    boxes.splice(best, 1, box.slice(0, cut), box.slice(cut));
  }
  return boxes;
}

/** Indexed-colour PNG of RGBA pixels (alpha dropped: screenshots are opaque). */
export function encodePalettePng(width, height, rgba) {
  const counts = new Uint32Array(1 << 15);
  const sums = new Float64Array((1 << 15) * 3);
  for (let i = 0; i < rgba.length; i += 4) {
    const k = key(rgba[i], rgba[i + 1], rgba[i + 2]);
    counts[k]++;
    sums[k * 3] += rgba[i];
    sums[k * 3 + 1] += rgba[i + 1];
    sums[k * 3 + 2] += rgba[i + 2];
  }
  const boxes = medianCut(counts, 256);
  const indexOf = new Uint8Array(1 << 15);
  const palette = Buffer.alloc(boxes.length * 3);
  boxes.forEach((box, i) => {
    let n = 0;
    const rgb = [0, 0, 0];
    for (const k of box) {
      indexOf[k] = i;
      n += counts[k];
      for (let c = 0; c < 3; c++) rgb[c] += sums[k * 3 + c];
    }
    for (let c = 0; c < 3; c++) palette[i * 3 + c] = Math.round(rgb[c] / Math.max(n, 1));
  });
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (width + 1)] = 0; // filter: none (indices compress well as they are)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      rows[y * (width + 1) + 1 + x] = indexOf[key(rgba[i], rgba[i + 1], rgba[i + 2])];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 3; // colour type: indexed
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('PLTE', palette),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A screenshot (PNG bytes) scaled down to `width` (if wider) as a palette PNG. */
export async function smallPng(png, width) {
  const image = await loadImage(png);
  const scale = width && image.width > width ? width / image.width : 1;
  const w = Math.round(image.width * scale);
  const h = Math.round(image.height * scale);
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(image, 0, 0, w, h);
  return encodePalettePng(w, h, ctx.getImageData(0, 0, w, h).data);
}
