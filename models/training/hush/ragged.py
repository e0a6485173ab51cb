"""Many variable-length rows kept as one flat tensor plus per-row start offsets: the layout of
WavBank (samples), FeatBank (feature frames) and TargetBank (teacher frames)."""
import torch


def starts(lengths):
    """Start offset of each row when rows of these lengths are laid end to end."""
    lengths = torch.as_tensor(lengths, dtype=torch.long)
    out = torch.zeros(len(lengths), dtype=torch.long)
    if len(lengths) > 1:
        out[1:] = torch.cumsum(lengths, 0)[:-1]
    return out


def gather_padded(flat, offsets, lengths, idx, device=None):
    """Rows idx of `flat` padded to the longest: (values [B, Tmax, ...], valid mask [B, Tmax], lengths [B]).
    Padding positions read row 0 of `flat`; callers mask them with `valid`."""
    idx_t = torch.as_tensor(idx, dtype=torch.long)
    lens = lengths[idx_t].to(device or flat.device)
    offs = offsets[idx_t].to(lens.device)
    ar = torch.arange(int(lens.max()), device=lens.device).unsqueeze(0)
    valid = ar < lens.unsqueeze(1)
    pos = torch.where(valid, offs.unsqueeze(1) + ar, torch.zeros_like(ar))
    source = flat if flat.device == lens.device else flat.to(lens.device)
    return source[pos], valid, lens
