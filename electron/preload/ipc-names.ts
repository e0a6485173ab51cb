/** The three Electron IPC channels that carry the contract (requests, events, audio frames). */
export const IPC = {
  request: 'hush:request',
  event: 'hush:event',
  frame: 'hush:frame',
} as const;
