import contextlib
import importlib.util
import io
import os
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import adapt_sets as A  # noqa: E402
from hush import manifest as M  # noqa: E402
from hush import rir as R  # noqa: E402
from hush import stage  # noqa: E402

STAGE_FILE = Path(__file__).resolve().parents[1] / "stages" / "11_adaptation_sets.py"


def rows(durations, speaker="s1", prefix="u"):
    return [M.Row(f"{prefix}{i:03d}", f"/x/{prefix}{i}.wav", d, speaker, "a b", source=f"list.tsv:{i + 2}", line=i + 2)
            for i, d in enumerate(durations)]


class Splits(unittest.TestCase):
    def test_split_is_seeded_disjoint_and_near_its_share_whatever_the_input_order(self):
        rs = rows([2.0 + (i % 5) * 0.7 for i in range(30)])
        s = A.split_by_duration(rs, 0.4, seed=3)
        again = A.split_by_duration(list(reversed(rs)), 0.4, seed=3)
        self.assertEqual([r.id for r in s.test], [r.id for r in again.test])
        self.assertEqual(sorted(r.id for r in s.adapt + s.test), sorted(r.id for r in rs))
        self.assertFalse({r.id for r in s.adapt} & {r.id for r in s.test})
        share = A.seconds(s.test) / A.seconds(rs)
        self.assertAlmostEqual(share, 0.4, delta=0.05)
        other = A.split_by_duration(rs, 0.4, seed=4)
        self.assertNotEqual([r.id for r in s.test], [r.id for r in other.test])

    def test_two_rows_still_give_both_parts(self):
        s = A.split_by_duration(rows([10.0, 1.0]), 0.05, seed=0)
        self.assertEqual((len(s.adapt), len(s.test)), (1, 1))
        with self.assertRaises(A.SetError):
            A.split_by_duration(rows([3.0]), 0.4, seed=0)

    def test_take_seconds_reaches_its_amount_or_refuses_naming_the_pool(self):
        rs = rows([3.0] * 10)
        got = A.take_seconds(rs, 10.0, seed=1, where="pool.tsv")
        self.assertEqual(len(got), 4)
        with self.assertRaisesRegex(A.SetError, r"^pool.tsv: 30.0 s of audio, 31.0 s wanted"):
            A.take_seconds(rs, 31.0, seed=1, where="pool.tsv")


class Refusals(unittest.TestCase):
    def test_an_absent_or_short_speaker_is_refused(self):
        rs = rows([20.0, 20.0], "alice") + rows([30.0], "bob", prefix="b")
        self.assertEqual(len(A.speaker_rows(rs, "alice", 40.0, "dev.tsv")), 2)
        with self.assertRaisesRegex(A.SetError, r"^dev.tsv: no speaker 'carol' \(speakers: alice, bob\)"):
            A.speaker_rows(rs, "carol", 40.0, "dev.tsv")
        with self.assertRaisesRegex(A.SetError, r"^dev.tsv: speaker 'bob' has 30.0 s of audio in 1 rows, at least 60 s needed"):
            A.speaker_rows(rs, "bob", 60.0, "dev.tsv")

    def test_a_test_row_without_text_is_refused_by_its_row(self):
        rs = rows([1.0, 1.0])
        rs[1].text = ""
        with self.assertRaisesRegex(A.SetError, r"^list.tsv:3: id 'u001' has no transcript"):
            A.require_text(rs)

    def test_a_speaker_on_both_sides_is_refused_by_its_row(self):
        with self.assertRaisesRegex(A.SetError, r"^list.tsv:2: speaker 's1' of id 'u000' is also in the adapt lists \(list.tsv:2\)"):
            A.disjoint_speakers(rows([1.0]), rows([1.0]), "the adapt lists")
        A.disjoint_speakers(rows([1.0], "a"), rows([1.0], "b"), "the adapt lists")

    def test_a_voice_seen_in_training_is_refused_by_its_row(self):
        training = {"synth_train.tsv": [{"id": "x1", "voice": "flite_kal"}, {"id": "x2", "voice": "flite_slt"}]}
        with self.assertRaisesRegex(A.SetError, r"^synth_train.tsv:3: voice 'flite_slt' \(id 'x2'\) is in training"):
            A.left_out("flite_slt", "voice", training)
        A.left_out("festival_us_slt_hts", "voice", training)


class Room(unittest.TestCase):
    def test_the_room_is_strongly_reverberant_and_a_dry_one_is_refused(self):
        h, measured = A.room_response(A.room())
        self.assertGreaterEqual(measured["rt60_s"], A.MIN_ROOM_RT60)
        self.assertLess(measured["drr_db"], 0.0)   # far microphone: more reverberant than direct energy
        self.assertAlmostEqual(float(np.abs(h).max()), 1.0, places=4)
        dry = R.RoomSpec((4.0, 3.0, 2.5), (0.6,) * 6, 0.2, (1.0, 1.0, 1.5), (2.0, 1.5, 1.2), 1.2)
        with self.assertRaisesRegex(A.SetError, r"RT60 0\.\d\d s, at least 0.8 s wanted"):
            A.room_response(dry)

    def test_reverberation_keeps_length_and_level_below_full_scale(self):
        rng = np.random.default_rng(0)
        x = (0.3 * rng.standard_normal(16000)).astype(np.float32)
        h, _ = A.room_response(A.room())
        y = A.reverberate(x, h)
        self.assertEqual(len(y), len(x))
        self.assertLessEqual(float(np.abs(y).max()), 0.99 + 1e-6)
        self.assertGreater(float(np.abs(y).max()), 0.05)


def load_stage():
    spec = importlib.util.spec_from_file_location("stage11", STAGE_FILE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class StageEndToEnd(unittest.TestCase):
    """The stage on tiny made-up lists: outputs, skipping finished work, and a refusal naming the row."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.saved = (stage.DATA, stage.LOGS)
        stage.DATA, stage.LOGS = root / "data", root / "logs"
        lists, wavs = stage.DATA / "lists", root / "wav"
        lists.mkdir(parents=True)
        wavs.mkdir()
        rng = np.random.default_rng(1)

        def write_list(name, speakers, n, seconds=2.0, cols=()):
            out = []
            for spk in speakers:
                for i in range(n):
                    uid = f"{name}_{spk}_{i}"
                    path = wavs / f"{uid}.wav"
                    sf.write(str(path), 0.1 * rng.standard_normal(int(seconds * 16000)).astype(np.float32), 16000, subtype="PCM_16")
                    out.append(M.Row(uid, str(path), seconds, spk, "hello world", {c: spk for c in cols}))
            M.write_manifest(lists / f"{name}.tsv", out, cols)

        write_list("dev_arctic_native", ["arctic_native_clb", "arctic_native_slt"], 5)
        write_list("train_real", ["trainer"], 1)
        write_list("untranscribed", ["trainer2"], 1)
        for name in ("dev_ljspeech_coqui", "dev_voxforge_en", "dev_speechocean762", "dev_librivox"):
            write_list(name, [f"{name}_spk"], 2)
        self.stage = load_stage()
        self.args = ["--scenarios", "speaker,room", "--min-speaker-seconds", "5", "--room-adapt-minutes", "0.2",
                     "--room-test-minutes", "0.1", "--out", str(root / "sets")]
        self.out = root / "sets"

    def tearDown(self):
        stage.DATA, stage.LOGS = self.saved
        self.tmp.cleanup()

    def run_stage(self, *extra):
        with contextlib.redirect_stdout(io.StringIO()):
            self.stage.main(self.args + list(extra))

    def test_builds_both_manifests_and_skips_finished_work(self):
        self.run_stage()
        for scenario in ("speaker", "room"):
            adapt = M.read_manifest(self.out / scenario / "adapt.tsv")
            test = M.read_manifest(self.out / scenario / "test.tsv")
            self.assertTrue(adapt and test)
            self.assertFalse({r.id for r in adapt} & {r.id for r in test})
            self.assertTrue(all(r.text == "hello world" for r in test))
            self.assertTrue(all(Path(r.audio).parent == self.out / scenario / "audio" for r in adapt + test))
        room_test = M.read_manifest(self.out / "room" / "test.tsv")
        self.assertTrue(all(r.id.startswith("room-") and r.speaker.startswith("arctic_native_") for r in room_test))
        self.assertGreaterEqual(A.seconds(M.read_manifest(self.out / "room" / "adapt.tsv")), 12.0)
        wav = Path(room_test[0].audio)
        before = wav.stat().st_mtime_ns
        self.run_stage()
        self.assertEqual(wav.stat().st_mtime_ns, before)

    def test_a_row_whose_audio_is_gone_is_refused_by_its_row(self):
        listfile = stage.DATA / "lists" / "dev_arctic_native.tsv"
        first = M.read_manifest(listfile)[0]
        os.remove(first.audio)
        with contextlib.redirect_stderr(io.StringIO()) as err, self.assertRaises(SystemExit) as exit_:
            self.run_stage()
        self.assertEqual(exit_.exception.code, 2)
        self.assertIn(f"{listfile}, line 2, id '{first.id}': missing audio file", err.getvalue())


if __name__ == "__main__":
    unittest.main()
