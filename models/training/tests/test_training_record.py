import json
import tempfile
import unittest
from pathlib import Path

from hush import training_record


class WarmStartedChainTest(unittest.TestCase):
    def history(self, folder):
        path = Path(folder) / "teacher_d" / "history.json"
        path.parent.mkdir()
        path.write_text(json.dumps({"sources_hours": {"train_real": 5.9}, "history": [
            {"epoch": 0, "step": 1000, "hours_seen": 16.0, "minutes": 15.0, "dev_greedy_wer": {"d": 80.0}},
            {"epoch": 1, "step": 2000, "hours_seen": 16.0, "minutes": 30.0, "dev_greedy_wer": {"d": 70.0}}]}))
        return path

    def test_a_single_run_keeps_its_epochs(self):
        with tempfile.TemporaryDirectory() as d:
            rec = training_record.write(Path(d) / "t.json", self.history(d))
            self.assertEqual((rec["hours_seen"], rec["steps"], rec["epochs"]), (32.0, 2000, 2))
            self.assertEqual(rec["dev_greedy_wer_pytorch"], {"d": 70.0})

    def test_earlier_runs_are_summed_and_listed(self):
        earlier = [{"exp": "teacher", "steps": 4860, "hours_seen": 77.78, "wall_minutes": 89.1, "what": "round 1"}]
        with tempfile.TemporaryDirectory() as d:
            rec = training_record.write(Path(d) / "t.json", self.history(d), earlier=earlier)
            self.assertEqual((rec["hours_seen"], rec["steps"], rec["wall_minutes"]), (109.78, 6860, 119.1))
            self.assertNotIn("epochs", rec)
            self.assertEqual([r["exp"] for r in rec["runs"]], ["teacher", "teacher_d"])
            self.assertEqual(json.loads((Path(d) / "t.json").read_text())["hours_seen"], 109.78)

    def test_the_chain_carried_to_the_next_session_includes_this_run(self):
        earlier = [{"exp": "teacher", "steps": 10, "hours_seen": 1.0, "wall_minutes": 2.0}]
        with tempfile.TemporaryDirectory() as d:
            alone = training_record.write(Path(d) / "a.json", self.history(d))
            self.assertEqual(training_record.runs(alone), [{"exp": "teacher_d", "steps": 2000, "hours_seen": 32.0, "wall_minutes": 30.0}])
            chained = training_record.write(Path(d) / "b.json", Path(d) / "teacher_d" / "history.json", earlier=earlier)
            self.assertEqual([r["exp"] for r in training_record.runs(chained)], ["teacher", "teacher_d"])

    def test_a_run_from_a_warm_start_file_inherits_its_chain_from_history(self):
        with tempfile.TemporaryDirectory() as d:
            path = self.history(d)
            history = json.loads(path.read_text())
            history["earlier_runs"] = [{"exp": "teacher_e", "steps": 100, "hours_seen": 10.0, "wall_minutes": 5.0}]
            path.write_text(json.dumps(history))
            rec = training_record.write(Path(d) / "t.json", path)
            self.assertEqual([r["exp"] for r in rec["runs"]], ["teacher_e", "teacher_d"])
            self.assertEqual(rec["hours_seen"], 42.0)


if __name__ == "__main__":
    unittest.main()


class LineageTest(unittest.TestCase):
    def test_a_warm_start_carries_the_chain_of_the_run_it_starts_from(self):
        with tempfile.TemporaryDirectory() as d:
            first = Path(d) / "student_d"
            first.mkdir()
            (first / "history.json").write_text(json.dumps({"earlier_runs": [{"exp": "older", "steps": 10, "hours_seen": 1.0, "wall_minutes": 2.0}],
                                                            "history": [{"step": 500, "hours_seen": 8.0, "minutes": 12.0}]}))
            runs = training_record.lineage(str(first / "row_d.pt"), "d")
            self.assertEqual([r["exp"] for r in runs], ["older", "student_d"])
            self.assertEqual((runs[1]["steps"], runs[1]["hours_seen"], runs[1]["wall_minutes"]), (500, 8.0, 12.0))
            self.assertEqual(training_record.lineage(None, "d"), [])
            self.assertIn("no history.json", training_record.lineage(str(Path(d) / "gone" / "row_d.pt"), "d")[0]["what"])
