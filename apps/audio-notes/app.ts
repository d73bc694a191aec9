/** Audio notes: a sound in (upload or microphone), its strongest musical notes and its spectrogram out — signal processing, no model. */
import { Audio, Image, Interface, Label } from 'vitrine';
import { chroma, spectrogram, stft } from './spectrum.ts';

export default Interface({
  fn: ({ sound }) => {
    const frames = stft(sound.data);
    return { notes: chroma(frames, sound.sampleRate), spectrogram: spectrogram(frames, sound.sampleRate) };
  },
  inputs: { sound: Audio({ maxDuration: 30, label: 'Sound', info: 'Upload a recording or record from the microphone; up to 30 s.' }) },
  outputs: {
    notes: Label({ topK: 3, label: 'Strongest notes' }),
    spectrogram: Image({ label: 'Spectrogram', info: 'Time left to right, frequency (0–8 kHz) bottom to top.' }),
  },
  title: 'Audio notes',
  description:
    'Which musical notes does a sound hold? The share of its energy in each of the twelve pitch classes (a chromagram), computed with a Fourier transform — signal processing, not a trained model.',
  examples: [{ sound: new URL('./examples/a440.wav', import.meta.url) }, { sound: new URL('./examples/c-major.wav', import.meta.url) }],
  workers: 0,
});
