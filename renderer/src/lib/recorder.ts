/**
 * Capture in the renderer: microphone (channel 0, 'You') and, where the host supports it, system audio
 * (channel 1, 'Others') through an AudioWorklet into 20 ms 16 kHz Int16 frames sent on the contract.
 */
import type { AudioChannel } from '../../../electron/core/contract/channels.js';
import type { HushClient } from '../../../electron/core/contract/client.js';
import workletUrl from './pcm-worklet.ts?worker&url';

interface Source {
  channel: AudioChannel;
  stream: MediaStream;
  node: AudioWorkletNode;
  seq: number;
}

export async function listInputs(): Promise<MediaDeviceInfo[]> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === 'audioinput');
}

export class Recorder {
  private ctx: AudioContext | null = null;
  private sources: Source[] = [];
  private sending = false;

  constructor(
    private readonly client: HushClient,
    private readonly onLevel: (channel: AudioChannel, peak: number) => void,
  ) {}

  /**
   * Opens the devices (asks permission). Returns the channels actually opened. Browser voice
   * processing is off: the recogniser wants the raw signal, and 'Others' is captured separately.
   */
  async open(deviceId: string, systemAudio: boolean): Promise<AudioChannel[]> {
    const ctx = new AudioContext({ sampleRate: 16_000, latencyHint: 'interactive' });
    this.ctx = ctx;
    await ctx.audioWorklet.addModule(workletUrl);
    const mic = await navigator.mediaDevices.getUserMedia({
      audio: { deviceId: deviceId ? { exact: deviceId } : undefined, channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    this.attach(0, mic);
    if (systemAudio) {
      try {
        const display = await navigator.mediaDevices.getDisplayMedia({ audio: true, video: true });
        for (const t of display.getVideoTracks()) t.stop();
        if (display.getAudioTracks().length) this.attach(1, display);
      } catch {
        // System audio is best-effort: the microphone alone still records.
      }
    }
    if (ctx.state === 'suspended') await ctx.resume();
    return this.sources.map((s) => s.channel);
  }

  private attach(channel: AudioChannel, stream: MediaStream): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const src = ctx.createMediaStreamSource(stream);
    const node = new AudioWorkletNode(ctx, 'hush-pcm', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: 'explicit' });
    const source: Source = { channel, stream, node, seq: 0 };
    node.port.onmessage = (e: MessageEvent<{ pcm: Int16Array; peak: number }>) => {
      this.onLevel(channel, e.data.peak);
      // The sequence counts every frame, sent or not, so the host keeps the clock when frames are lost.
      const seq = source.seq++;
      if (this.sending) this.client.sendFrame({ channel, seq, pcm: e.data.pcm });
    };
    const mute = ctx.createGain();
    mute.gain.value = 0;
    src.connect(node).connect(mute).connect(ctx.destination);
    this.sources.push(source);
  }

  setSending(on: boolean): void {
    this.sending = on;
  }

  async close(): Promise<void> {
    this.sending = false;
    for (const s of this.sources) {
      s.node.port.onmessage = null;
      for (const t of s.stream.getTracks()) t.stop();
    }
    this.sources = [];
    await this.ctx?.close();
    this.ctx = null;
  }
}
