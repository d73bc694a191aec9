/** Sound analysis for the audio demo: a short-time Fourier transform, the spectrogram as a picture, and the energy per musical note (chroma). */
import type { RawImage } from 'vitrine';

/** Note names of the twelve pitch classes, from C. */
export const NOTES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'] as const;

/**
 * In-place radix-2 FFT of `re`/`im` (length a power of two).
 *
 * @example
 * fft(re, im); // re/im now hold the spectrum
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b]! * wr - im[b]! * wi;
        const ti = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

/** Magnitudes of `frames` Hann-windowed frames of `size` samples, `hop` apart. */
export function stft(samples: Float32Array, size = 1024, hop = 64, maxFrames = 320): Float64Array[] {
  const frames: Float64Array[] = [];
  const window = Float64Array.from({ length: size }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size));
  const step = Math.max(hop, Math.ceil((samples.length - size) / maxFrames));
  for (let start = 0; start + size <= Math.max(samples.length, size); start += step) {
    const re = new Float64Array(size);
    const im = new Float64Array(size);
    for (let i = 0; i < size; i++) re[i] = (samples[start + i] ?? 0) * window[i]!;
    fft(re, im);
    frames.push(Float64Array.from({ length: size / 2 }, (_, k) => Math.hypot(re[k]!, im[k]!)));
    if (samples.length <= size) break;
  }
  return frames;
}

/**
 * The spectrogram as a grey picture: time left to right, frequency bottom to top (log-scaled
 * magnitudes), `height` rows up to 8 kHz.
 *
 * @example
 * spectrogram(stft(samples), 16000); // { width: frames, height: 128, channels: 1, … }
 */
export function spectrogram(frames: Float64Array[], sampleRate: number, height = 128): RawImage {
  const width = frames.length;
  const bins = frames[0]?.length ?? 1;
  const top = Math.min(bins, Math.floor((8000 / (sampleRate / 2)) * bins));
  const logs = frames.map((f) => Array.from({ length: height }, (_, row) => Math.log1p(f[Math.floor((row / height) * top)] ?? 0)));
  const peak = Math.max(1e-9, ...logs.flat());
  const data = new Uint8Array(width * height);
  logs.forEach((column, x) => column.forEach((v, row) => (data[(height - 1 - row) * width + x] = Math.round((255 * v) / peak))));
  return { data, width, height, channels: 1 };
}

/**
 * Share of the energy (50 Hz – 5 kHz) in each of the twelve pitch classes, summing to 1.
 *
 * @example
 * chroma(stft(a440), 16000); // { A: 0.9, … }
 */
export function chroma(frames: Float64Array[], sampleRate: number): Record<string, number> {
  const energy = new Float64Array(12);
  const bins = frames[0]?.length ?? 0;
  for (const frame of frames) {
    for (let k = 1; k < bins; k++) {
      const hz = (k * sampleRate) / (2 * bins);
      if (hz < 50 || hz > 5000) continue;
      const note = Math.round(12 * Math.log2(hz / 440)) + 9;
      energy[((note % 12) + 12) % 12]! += frame[k]! ** 2;
    }
  }
  const total = energy.reduce((a, b) => a + b, 0) || 1;
  return Object.fromEntries(NOTES.map((name, i) => [name, energy[i]! / total]));
}
