import contextlib
import importlib.util
import io
import unittest
from pathlib import Path

import torch

spec = importlib.util.spec_from_file_location("stage09", Path(__file__).resolve().parents[1] / "stages" / "09_train_student.py")
stage09 = importlib.util.module_from_spec(spec)
spec.loader.exec_module(stage09)


class KdShiftTest(unittest.TestCase):
    def test_shift_moves_frames_later_or_earlier_and_keeps_length(self):
        x = torch.arange(5.0).view(1, 5, 1)
        self.assertEqual(stage09.shift_frames(x, 2).flatten().tolist(), [0, 0, 0, 1, 2])
        self.assertEqual(stage09.shift_frames(x, -2).flatten().tolist(), [2, 3, 4, 4, 4])
        self.assertEqual(stage09.shift_frames(x, 0).flatten().tolist(), [0, 1, 2, 3, 4])

    def test_an_advanced_teacher_matches_a_student_that_fires_earlier(self):
        logits = torch.randn(1, 40, 29)
        student = torch.log_softmax(logits[:, 3:], -1)  # the student fires 3 frames earlier
        teacher = torch.log_softmax(torch.cat([logits, logits[:, -1:].expand(-1, 3, -1)], 1)[:, :37], -1)
        out_len = torch.tensor([34])
        self.assertLess(float(stage09.frame_kd_loss(student, teacher, out_len, 2.0, -3)), 1e-5)
        self.assertGreater(float(stage09.frame_kd_loss(student, teacher, out_len, 2.0, 0)), 0.1)

    def test_the_training_log_reads_a_student_three_frames_late_as_lag_three(self):
        teacher = torch.log_softmax(torch.randn(2, 60, 29) * 3, -1)
        self.assertEqual(stage09.spike_offset(stage09.shift_frames(teacher, 3), teacher, torch.tensor([60, 50])), 3)


if __name__ == "__main__":
    unittest.main()


class WarmStartTest(unittest.TestCase):
    def test_a_row_starts_from_a_finished_row_and_refuses_another_shape_naming_the_row(self):
        import tempfile
        from hush.models import HighwayStudent
        from hush.stage import Refusal
        small = dict(d=32, layers=2)
        done = HighwayStudent(**small)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "row_d.pt"
            torch.save({"model": done.state_dict(), "config": done.config, "row": "d"}, path)
            fresh = HighwayStudent(**small)
            stage09.warm_start(path, fresh, "f")
            for (name, a), b in zip(done.state_dict().items(), fresh.state_dict().values()):
                self.assertTrue(torch.equal(a, b), name)
            for bad, row, says in ((path, "e", "row e is a dnn"), (Path(tmp) / "none.pt", "f", "none.pt is missing")):
                err = io.StringIO()
                with contextlib.redirect_stderr(err), self.assertRaises(Refusal):
                    stage09.warm_start(bad, HighwayStudent(gates=row != "e", **small), row)
                self.assertIn(says, err.getvalue())

    def test_row_f_trains_the_tied_gates_only(self):
        self.assertTrue(stage09.ROWS["f"]["gates_only"])
        self.assertEqual({k: v for k, v in stage09.ROWS["f"].items() if k != "gates_only"}, stage09.ROWS["d"])


class ResumeTest(unittest.TestCase):
    def test_a_control_row_forks_from_its_row_and_a_row_with_no_source_is_refused_by_name(self):
        from hush.models import HighwayStudent
        from hush.stage import Refusal
        small = dict(d=32, layers=2)
        d = HighwayStudent(**small)
        opt_d = torch.optim.AdamW(d.parameters(), lr=1e-3)
        saved = {"models": {"d": d.state_dict()}, "opts": {"d": opt_d.state_dict()}}
        students = {"d": HighwayStudent(**small), "g": HighwayStudent(**small)}
        opts = {r: torch.optim.AdamW(m.parameters(), lr=1e-3) for r, m in students.items()}
        self.assertEqual(stage09.resume_rows(saved, students, opts, "last.pt"), {"g": "d"})
        for a, b in zip(d.state_dict().values(), students["g"].state_dict().values()):
            self.assertTrue(torch.equal(a, b))
        self.assertEqual(stage09.ROWS["g"]["kd_shift"], -6)
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(Refusal):
            stage09.resume_rows(saved, {"c": HighwayStudent(**small)}, {"c": torch.optim.AdamW(students["d"].parameters())}, "last.pt")
        self.assertIn("last.pt has no row c to resume", err.getvalue())
