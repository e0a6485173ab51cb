"""Two checkpoints of one architecture average into a loadable teacher checkpoint; mismatches are refused (tools/average_checkpoints.py)."""
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import torch

from hush.models import SepConvCtc, load_teacher

TOOL = Path(__file__).resolve().parents[1] / "tools" / "average_checkpoints.py"


def save(model, path, half=False):
    state = {k: (v.half() if half and v.is_floating_point() else v) for k, v in model.state_dict().items()}
    torch.save({"model": state, "config": {**model.config, "kind": model.kind}, "epoch": 1, "dev": {}}, path)


def average(*args):
    logs = tempfile.mkdtemp()
    return subprocess.run([sys.executable, str(TOOL), *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "HUSH_LOGS": logs})


class AverageCheckpointsTest(unittest.TestCase):
    def test_float_weights_are_the_mean_and_counters_come_from_the_first(self):
        torch.manual_seed(0)
        a, b = SepConvCtc(d=16, layers=2, kernel=3, stride=2), SepConvCtc(d=16, layers=2, kernel=3, stride=2)
        with torch.no_grad():
            for bn in (m for m in b.modules() if isinstance(m, torch.nn.BatchNorm1d)):
                bn.num_batches_tracked.fill_(7)
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            save(a, d / "a.pt", half=True)  # warm-start.pt keeps fp16 weights; best.pt keeps fp32
            save(b, d / "b.pt")
            done = average(d / "a.pt", d / "b.pt", "--out", d / "avg" / "best.pt")
            self.assertEqual(done.returncode, 0, done.stderr)
            model, saved = load_teacher(d / "avg" / "best.pt")
        self.assertEqual(saved["averaged_from"], [str(d / "a.pt"), str(d / "b.pt")])
        state = model.state_dict()
        for name, tensor in a.state_dict().items():
            if tensor.is_floating_point():
                want = (tensor.half().float() + b.state_dict()[name]) / 2
                self.assertTrue(torch.allclose(state[name], want, atol=1e-6), name)
            else:
                self.assertTrue(torch.equal(state[name], tensor), name)

    def test_a_different_architecture_is_refused_by_name(self):
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            save(SepConvCtc(d=16, layers=2, kernel=3, stride=2), d / "a.pt")
            save(SepConvCtc(d=24, layers=2, kernel=3, stride=2), d / "wide.pt")
            done = average(d / "a.pt", d / "wide.pt", "--out", d / "avg.pt")
            self.assertNotEqual(done.returncode, 0)
            self.assertIn("wide.pt: architecture differs", done.stderr)
            self.assertNotIn("Traceback", done.stderr)
            self.assertFalse((d / "avg.pt").exists())

    def test_a_missing_checkpoint_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            done = average(Path(d) / "a.pt", Path(d) / "gone.pt", "--out", Path(d) / "avg.pt")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("a.pt: no such checkpoint", done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1)

    def test_a_file_that_is_not_a_checkpoint_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            save(SepConvCtc(d=16, layers=2, kernel=3, stride=2), d / "a.pt")
            (d / "junk.pt").write_bytes(b"not a checkpoint")
            done = average(d / "a.pt", d / "junk.pt", "--out", d / "avg.pt")
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("junk.pt: not a recipe checkpoint", done.stderr)
        self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
