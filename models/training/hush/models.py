"""Acoustic model definitions. Each is single-source: training, export and parity tests import it."""
import torch
from torch import nn

from .nn import CachedConv1d, GlobalCMVN, stack_pairs
from .text import NUM_CLASSES


class StreamingConvCtc(nn.Module):
    """Causal dilated conv stack over 20 ms stacked frames; the small runtime fixture model."""

    def __init__(self, feat_dim=80, hidden=128, dilations=(1, 2, 4), kernel=3, lookahead=8):
        super().__init__()
        self.kind = "conv"
        self.lookahead = lookahead
        self.cmvn = GlobalCMVN(feat_dim)
        dims = [2 * feat_dim] + [hidden] * len(dilations)
        self.convs = nn.ModuleList(CachedConv1d(dims[i], dims[i + 1], kernel, d) for i, d in enumerate(dilations))
        self.out = nn.Conv1d(hidden, NUM_CLASSES, 1)

    def initial_states(self, batch=1):
        return [torch.zeros(batch, c.cin, c.context) for c in self.convs]

    def stream(self, feats, states):
        x = stack_pairs(self.cmvn(feats)).transpose(1, 2)
        new_states = []
        for conv, state in zip(self.convs, states):
            x, s = conv(x, state)
            x = torch.relu(x)
            new_states.append(s)
        logits = self.out(x).transpose(1, 2)
        return torch.log_softmax(logits, dim=-1), new_states

    def forward(self, feats):
        return self.stream(feats, [None] * len(self.convs))[0]


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())


class ConvModule(nn.Module):
    """Conformer convolution module (pointwise-GLU, depthwise, norm, swish, pointwise)."""

    def __init__(self, d, kernel, dropout):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.pw1 = nn.Conv1d(d, 2 * d, 1)
        self.dw = nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d)
        self.bn = nn.GroupNorm(1, d)
        self.pw2 = nn.Conv1d(d, d, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        y = self.norm(x).masked_fill(mask.unsqueeze(-1), 0.0).transpose(1, 2)
        y = nn.functional.glu(self.pw1(y), dim=1)
        y = self.pw2(nn.functional.silu(self.bn(self.dw(y))))
        return self.drop(y.transpose(1, 2))


class ConformerBlock(nn.Module):
    def __init__(self, d, heads, ff, kernel, dropout):
        super().__init__()

        def feed_forward():
            return nn.Sequential(nn.LayerNorm(d), nn.Linear(d, ff), nn.SiLU(), nn.Dropout(dropout), nn.Linear(ff, d), nn.Dropout(dropout))

        self.ff1, self.ff2 = feed_forward(), feed_forward()
        self.att_norm = nn.LayerNorm(d)
        self.att = nn.MultiheadAttention(d, heads, dropout=dropout, batch_first=True)
        self.att_drop = nn.Dropout(dropout)
        self.conv = ConvModule(d, kernel, dropout)
        self.out_norm = nn.LayerNorm(d)

    def forward(self, x, mask, pos):
        x = x + 0.5 * self.ff1(x)
        q = self.att_norm(x) + pos
        y, _ = self.att(q, q, self.att_norm(x), key_padding_mask=mask, need_weights=False)
        x = x + self.att_drop(y)
        x = x + self.conv(x, mask)
        x = x + 0.5 * self.ff2(x)
        return self.out_norm(x)


def sinusoid(length, d, device):
    pos = torch.arange(length, device=device, dtype=torch.float32).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, device=device, dtype=torch.float32) * (-9.2103 / d))
    pe = torch.zeros(length, d, device=device)
    pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
    return pe


class ConformerCtc(nn.Module):
    """The teacher: a non-streaming Conformer at 20 ms (frame pairs stacked), CTC over 29 symbols."""

    def __init__(self, feat_dim=80, d=256, layers=8, heads=4, ff=896, kernel=15, dropout=0.1):
        super().__init__()
        self.kind = "conformer"
        self.lookahead = 0
        self.config = dict(feat_dim=feat_dim, d=d, layers=layers, heads=heads, ff=ff, kernel=kernel, dropout=dropout)
        self.cmvn = GlobalCMVN(feat_dim)
        self.inp = nn.Sequential(nn.Linear(2 * feat_dim, d), nn.LayerNorm(d), nn.Dropout(dropout))
        self.blocks = nn.ModuleList(ConformerBlock(d, heads, ff, kernel, dropout) for _ in range(layers))
        self.out = nn.Linear(d, NUM_CLASSES)
        self.d = d

    def forward(self, feats, lengths=None):
        x = self.inp(stack_pairs(self.cmvn(feats)))
        t = x.shape[1]
        if lengths is None:
            mask = torch.zeros(x.shape[0], t, dtype=torch.bool, device=x.device)
        else:
            mask = torch.arange(t, device=x.device).unsqueeze(0) >= ((lengths + 1) // 2).unsqueeze(1)
        pos = sinusoid(t, self.d, x.device).unsqueeze(0) * 0.1
        for block in self.blocks:
            x = block(x, mask, pos)
        return torch.log_softmax(self.out(x).float(), dim=-1)


class SepConvCtc(nn.Module):
    """The CPU teacher: QuartzNet-style time-channel separable convolutions at 20 ms, non-streaming.

    Each block is depthwise conv (centred, kernel k) -> pointwise -> BatchNorm -> ReLU, with a
    residual. On these 2 cores it trains about 8x faster per second of audio than the Conformer
    of the same size (0.65 s against 5.3 s per 60 s batch), which is what decides how much
    speech the teacher sees in a session (models/teacher/MODEL_CARD.md).

    stride=2 runs the blocks at 40 ms (a strided input conv) and emits two 20 ms frames per
    step from the output layer, trimmed to the input's 20 ms length: the same contract at half
    the compute, so a CPU session gives the model twice the epochs.
    """

    def __init__(self, feat_dim=80, d=512, layers=16, kernel=11, dropout=0.1, stride=1):
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"SepConvCtc stride must be 1 or 2, got {stride}")
        self.kind = "sepconv"
        self.lookahead = 0
        self.stride = stride
        self.config = dict(feat_dim=feat_dim, d=d, layers=layers, kernel=kernel, dropout=dropout, stride=stride)
        self.cmvn = GlobalCMVN(feat_dim)
        self.inp = nn.Conv1d(2 * feat_dim, d, 3, stride=stride, padding=1)
        self.dw = nn.ModuleList(nn.Conv1d(d, d, kernel, padding=kernel // 2, groups=d, bias=False) for _ in range(layers))
        self.pw = nn.ModuleList(nn.Conv1d(d, d, 1, bias=False) for _ in range(layers))
        self.norm = nn.ModuleList(nn.BatchNorm1d(d) for _ in range(layers))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Conv1d(d, stride * NUM_CLASSES, 1)

    def forward(self, feats, lengths=None):
        x = stack_pairs(self.cmvn(feats)).transpose(1, 2)
        h = torch.relu(self.inp(x))
        for dw, pw, norm in zip(self.dw, self.pw, self.norm):
            h = h + self.drop(torch.relu(norm(pw(dw(h)))))
        logits = self.out(h).transpose(1, 2)
        if self.stride > 1:
            b, steps, _ = logits.shape
            logits = logits.reshape(b, steps * self.stride, NUM_CLASSES)[:, :x.shape[2]]
        return torch.log_softmax(logits.float(), dim=-1)


TEACHERS = {"sepconv": SepConvCtc, "conformer": ConformerCtc}


def build_teacher(config, kind=None):
    """A teacher from its saved config; `kind` defaults to the Conformer for checkpoints saved before SepConvCtc existed."""
    config = dict(config)
    kind = config.pop("kind", kind or "conformer")
    return TEACHERS[kind](**config)


def _load(path, build):
    saved = torch.load(path, map_location="cpu")
    model = build(saved["config"])
    # warm-start.pt and exports keep fp16 weights; every consumer computes in fp32.
    model.load_state_dict({k: v.float() for k, v in saved["model"].items()})
    return model.eval(), saved


def load_teacher(path):
    """(teacher in eval mode, the saved checkpoint dict) from a stage 05 checkpoint or warm-start.pt."""
    return _load(path, build_teacher)


def load_student(path):
    """(student in eval mode, the saved checkpoint dict) from a stage 09 row_<r>.pt."""
    return _load(path, lambda config: HighwayStudent(**config))


class HighwayStudent(nn.Module):
    """The student HDNN (Lu, Guo & Renals 2017): h = f(W h' + b) * T(h') + h' * C(h').

    T and C are sigmoid gates TIED across all hidden layers and kept in their own
    parameter group (`gate_parameters`), which is all that speaker/room adaptation
    updates. Temporal context comes from causal dilated depthwise convolutions inside
    each W, so the model streams; its look-ahead is the input delay `lookahead`.
    With gates=False it is the plain DNN baseline: h = f(W h' + b) + h'.
    """

    def __init__(self, feat_dim=80, d=256, layers=10, kernel=3, dilations=(1, 2, 4, 8), lookahead=20, gates=True, front_kernel=3):
        super().__init__()
        self.kind = "hdnn" if gates else "dnn"
        self.lookahead = lookahead
        self.config = dict(feat_dim=feat_dim, d=d, layers=layers, kernel=kernel, dilations=list(dilations), lookahead=lookahead, gates=gates, front_kernel=front_kernel)
        self.cmvn = GlobalCMVN(feat_dim)
        self.front = CachedConv1d(2 * feat_dim, d, front_kernel)
        self.dw = nn.ModuleList(CachedConv1d(d, d, kernel, dilations[i % len(dilations)], groups=d, bias=False) for i in range(layers))
        self.pw = nn.ModuleList(nn.Conv1d(d, d, 1) for _ in range(layers))
        self.gates = gates
        if gates:
            self.transform_gate = nn.Conv1d(d, d, 1)
            self.carry_gate = nn.Conv1d(d, d, 1)
            nn.init.constant_(self.transform_gate.bias, -1.0)  # start near the carry path, as highway nets do
            nn.init.constant_(self.carry_gate.bias, 1.0)
        self.out = nn.Conv1d(d, NUM_CLASSES, 1)

    def gate_parameters(self):
        return list(self.transform_gate.parameters()) + list(self.carry_gate.parameters()) if self.gates else []

    def initial_states(self, batch=1):
        return [torch.zeros(batch, self.front.cin, self.front.context)] + [torch.zeros(batch, c.cin, c.context) for c in self.dw]

    def stream(self, feats, states):
        x = stack_pairs(self.cmvn(feats)).transpose(1, 2)
        h, s0 = self.front(x, states[0])
        h = torch.relu(h)
        new_states = [s0]
        for i, (dw, pw) in enumerate(zip(self.dw, self.pw)):
            y, s = dw(h, states[i + 1])
            new_states.append(s)
            y = torch.relu(pw(y))
            if self.gates:
                h = y * torch.sigmoid(self.transform_gate(h)) + h * torch.sigmoid(self.carry_gate(h))
            else:
                h = y + h
        return torch.log_softmax(self.out(h).transpose(1, 2).float(), dim=-1), new_states

    def forward(self, feats):
        return self.stream(feats, [None] * (1 + len(self.dw)))[0]
