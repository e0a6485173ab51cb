"""The committed student comes back as a stage 09 checkpoint with its chain of runs (tools/restore_student.py)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import torch

from hush import training_record
from hush.models import HighwayStudent, load_student
from hush.onnx_export import load_safetensors, save_safetensors

TOOL = Path(__file__).resolve().parents[1] / "tools" / "restore_student.py"
RUNS = [{"exp": "student_d", "steps": 10, "hours_seen": 1.5, "wall_minutes": 2.0},
        {"exp": "student_d5", "steps": 20, "hours_seen": 3.0, "wall_minutes": 4.0}]


def committed_student(folder, model):
    save_safetensors(model.state_dict(), folder / "student.safetensors", {"config": json.dumps(model.config), "model_version": "test-1"})
    (folder / "training.json").write_text(json.dumps({"exp": "student_d5", "row": "d", "runs": RUNS, "config": model.config}))


def restore(folder, exp):
    return subprocess.run([sys.executable, str(TOOL), "--student", str(folder), "--exp", str(exp)], capture_output=True, text=True,
                          env={**os.environ, "HUSH_LOGS": str(folder / "logs")})


class RestoreStudentTest(unittest.TestCase):
    def test_safetensors_round_trip_is_exact(self):
        model = HighwayStudent(d=16, layers=2)
        with tempfile.TemporaryDirectory() as d:
            path = Path(d) / "m.safetensors"
            save_safetensors(model.state_dict(), path, {"model_version": "x"})
            state, meta = load_safetensors(path)
        self.assertEqual(meta, {"model_version": "x"})
        for name, tensor in model.state_dict().items():
            self.assertTrue(torch.equal(state[name], tensor.float()), name)

    def test_restored_checkpoint_computes_the_same_and_carries_the_chain(self):
        model = HighwayStudent(d=16, layers=2).eval()
        with tempfile.TemporaryDirectory() as d:
            folder = Path(d)
            committed_student(folder, model)
            done = restore(folder, folder / "exp" / "student_d5")
            self.assertEqual(done.returncode, 0, done.stderr)
            restored, saved = load_student(folder / "exp" / "student_d5" / "row_d.pt")
            x = torch.randn(1, 40, 80)
            with torch.no_grad():
                self.assertTrue(torch.allclose(restored(x), model(x)))
            self.assertEqual(saved["model_version"], "test-1")
            self.assertEqual(training_record.lineage(str(folder / "exp" / "student_d5" / "row_d.pt"), "d"), RUNS)

    def test_a_truncated_weights_file_is_refused_by_name(self):
        with tempfile.TemporaryDirectory() as d:
            folder = Path(d)
            committed_student(folder, HighwayStudent(d=16, layers=2))
            weights = folder / "student.safetensors"
            weights.write_bytes(weights.read_bytes()[:-100])
            done = restore(folder, folder / "exp")
        self.assertEqual(done.returncode, 2)
        self.assertIn("student.safetensors", done.stderr)
        self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
