"""ONNX export with the metadata contract that electron/core/inference checks.

Streaming form: inputs `features` [1, T, 80] and `state_i`; outputs `logprobs`
[1, T/2, 29] and `next_state_i`. Non-streaming form: inputs `features` [1, T, 80]
and `lengths` [1]; output `logprobs`.
"""
import json

import onnx
import torch

from .features import SPEC
from .text import SYMBOLS


class _Streaming(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, features, *states):
        logp, new_states = self.model.stream(features, list(states))
        return (logp, *new_states)


class _Whole(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, features, lengths):
        # Batch of one, even length: the runtime pads the last window itself.
        if getattr(self.model, "kind", "") == "conformer":
            return self.model(features, lengths)
        lookahead = getattr(self.model, "lookahead", 0)
        if lookahead:
            tail = features[:, -1:, :].expand(1, lookahead, features.shape[2])
            features = torch.cat([features, tail], dim=1)
        return self.model(features)[:, lookahead // 2:]


def _metadata(model, version, streaming, extra):
    meta = {
        "hushscribe_contract": "1",
        "symbols": SYMBOLS,
        "blank_index": str(len(SYMBOLS)),
        "frame_shift_ms": str(int(1000 * SPEC["frameShift"] / SPEC["sampleRate"])),
        "subsampling": "2",
        "lookahead_ms": str(10 * getattr(model, "lookahead", 0) if streaming else 0),
        "feature_spec_version": str(SPEC["version"]),
        "feature_dim": str(SPEC["numMel"]),
        "model_version": version,
        "streaming": "true" if streaming else "false",
    }
    meta.update(extra or {})
    return meta


def export(model, path, version, streaming, extra_meta=None, opset=14):
    model = model.eval()
    feats = torch.randn(1, 64, SPEC["numMel"])
    if streaming:
        states = model.initial_states(1)
        names = [f"state_{i}" for i in range(len(states))]
        out_names = ["logprobs"] + [f"next_state_{i}" for i in range(len(states))]
        axes = {"features": {1: "frames"}, "logprobs": {1: "out_frames"}}
        torch.onnx.export(_Streaming(model), (feats, *states), path, input_names=["features", *names],
                          output_names=out_names, dynamic_axes=axes, opset_version=opset)
        extra = {"state_shapes": json.dumps([list(s.shape) for s in states])}
    else:
        axes = {"features": {1: "frames"}, "logprobs": {1: "out_frames"}}
        torch.onnx.export(_Whole(model), (feats, torch.tensor([64])), path, input_names=["features", "lengths"],
                          output_names=["logprobs"], dynamic_axes=axes, opset_version=opset)
        extra = {}
    extra.update(extra_meta or {})
    model.eval()  # see save_parity_fixture: export leaves the model in training mode
    proto = onnx.load(path)
    for key, value in _metadata(model, version, streaming, extra).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, path)
    onnx.checker.check_model(proto)


def store_weights_fp16(path, min_elements=1024):
    """Halve the file: large float initializers stored as fp16, each followed by a Cast to
    float. onnxruntime folds the casts at load, so inference still runs in fp32."""
    import numpy as np
    from onnx import helper, numpy_helper

    proto = onnx.load(path)
    graph = proto.graph
    casts = []
    for init in list(graph.initializer):
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init)
        if arr.size < min_elements:
            continue
        half_name = init.name + "__fp16"
        graph.initializer.remove(init)
        graph.initializer.append(numpy_helper.from_array(arr.astype(np.float16), half_name))
        casts.append(helper.make_node("Cast", [half_name], [init.name], to=onnx.TensorProto.FLOAT, name=init.name + "__cast"))
    for node in reversed(casts):
        graph.node.insert(0, node)
    onnx.save(proto, path)
    onnx.checker.check_model(proto)


def save_parity_fixture(model, feats, out_dir, name):
    """Features and PyTorch log-probs for the TypeScript parity test against the exported ONNX."""
    import numpy as np

    out_dir.mkdir(parents=True, exist_ok=True)
    # torch.onnx.export restores the wrapper's training mode recursively, which switches dropout and
    # BatchNorm back on in the model itself: the reference must come from the eval-mode model.
    model.eval()
    with torch.no_grad():
        x = feats.unsqueeze(0)
        lookahead = getattr(model, "lookahead", 0)
        if lookahead:
            x = torch.cat([x, x[:, -1:].expand(1, lookahead, x.shape[2])], dim=1)
        logp = model(x)[:, lookahead // 2:]
    np.save(out_dir / f"{name}-input.npy", feats.numpy().astype(np.float32))
    np.save(out_dir / f"{name}-torch-logprobs.npy", logp[0].numpy().astype(np.float32))


def save_safetensors(state_dict, path, metadata=None):
    """The safetensors layout (8-byte header size, JSON header, raw little-endian data), written
    directly: the TypeScript adaptation trainer reads the student's weights from it."""
    import struct

    header, blobs, offset = {}, [], 0
    for name, tensor in state_dict.items():
        arr = tensor.detach().float().contiguous().numpy().astype("<f4")
        data = arr.tobytes()
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(raw)))
        fh.write(raw)
        for b in blobs:
            fh.write(b)


def load_safetensors(path):
    """(state_dict of fp32 tensors, metadata) from a file save_safetensors wrote; refuses, naming the
    file, one that is cut short or holds a dtype the writer never uses."""
    import struct

    import numpy as np

    raw = open(path, "rb").read()
    if len(raw) < 8:
        raise ValueError(f"{path}: not a safetensors file (under 8 bytes)")
    (size,) = struct.unpack("<Q", raw[:8])
    try:
        header = json.loads(raw[8:8 + size])
    except ValueError as exc:
        raise ValueError(f"{path}: unreadable safetensors header ({exc})")
    metadata = header.pop("__metadata__", {})
    base, tensors = 8 + size, {}
    for name, spec in header.items():
        start, end = spec["data_offsets"]
        if spec["dtype"] != "F32" or base + end > len(raw):
            raise ValueError(f"{path}: tensor {name} is {spec['dtype']} at bytes {start}-{end} of a {len(raw) - base}-byte body")
        arr = np.frombuffer(raw[base + start:base + end], dtype="<f4").reshape(spec["shape"])
        tensors[name] = torch.from_numpy(arr.copy())
    return tensors, metadata
