"""Building blocks shared by every Hushscribe acoustic model.

Streaming contract (models/FEATURES.md, DESIGN.md): a model reads 10 ms log-mel
features and emits 29 log-probabilities every 20 ms. Streaming models are causal
inside and get their look-ahead from an input delay of `lookahead` feature frames:
output j is the posterior of output frame j - lookahead/2. Training pads the end of
each utterance with `lookahead` copies of its last frame, and so does the runtime at
the end of a stream, so both see exactly the same thing.
"""
import torch
from torch import nn


class GlobalCMVN(nn.Module):
    """Per-bin mean/std of the training data, baked into the model (streaming-safe)."""

    def __init__(self, dim):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("istd", torch.ones(dim))

    def set_stats(self, mean, std):
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.istd.copy_(1.0 / torch.clamp(torch.as_tensor(std, dtype=torch.float32), min=1e-3))

    def forward(self, x):
        return (x - self.mean) * self.istd


def stack_pairs(x):
    """[B, T, F] -> [B, T/2, 2F]: 10 ms frames to 20 ms frames (T must be even)."""
    b, t, f = x.shape
    return x.reshape(b, t // 2, 2 * f)


class CachedConv1d(nn.Module):
    """Causal conv over [B, C, T]. Streaming keeps the last (k-1)*dilation inputs as state."""

    def __init__(self, cin, cout, kernel, dilation=1, groups=1, bias=True):
        super().__init__()
        self.conv = nn.Conv1d(cin, cout, kernel, dilation=dilation, groups=groups, bias=bias)
        self.context = (kernel - 1) * dilation
        self.cin = cin

    def forward(self, x, cache=None):
        if cache is None:
            cache = x.new_zeros(x.shape[0], self.cin, self.context)
        full = torch.cat([cache, x], dim=2)
        new_cache = full[:, :, full.shape[2] - self.context:] if self.context > 0 else cache
        return self.conv(full), new_cache


def pad_lookahead(feats, lengths, lookahead):
    """Append `lookahead` copies of each utterance's last real frame (and round T up to even)."""
    if lookahead == 0 and feats.shape[1] % 2 == 0:
        return feats
    b, t, f = feats.shape
    extra = lookahead + ((t + lookahead) % 2)
    out = torch.cat([feats, feats.new_zeros(b, extra, f)], dim=1)
    for i in range(b):
        n = int(lengths[i])
        out[i, n:n + extra + (t - n)] = feats[i, n - 1]
    return out
