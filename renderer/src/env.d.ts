import type { HushBridge } from '../../electron/core/contract/client.js';

declare global {
  interface Window {
    hushscribe?: HushBridge;
  }
}
