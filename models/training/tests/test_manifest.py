import os
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import manifest as M  # noqa: E402

HEADER = "id\taudio\tduration_s\tspeaker\ttext\n"


class ManifestTest(unittest.TestCase):
    def setUp(self):
        import soundfile as sf
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)
        (self.dir / "audio").mkdir()
        for name in ("a", "b", "c"):
            sf.write(str(self.dir / "audio" / f"{name}.flac"), np.zeros(16000, np.float32), 16000)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, rows):
        p = self.dir / name
        p.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows))
        return p

    def assertRefused(self, path, line, utt, words):
        with self.assertRaises(M.ManifestError) as cm:
            M.read_manifest(path)
        msg = str(cm.exception)
        self.assertIn(str(path), msg)
        self.assertIn(f"line {line}", msg)
        self.assertIn(utt, msg)
        for w in words:
            self.assertIn(w, msg)

    def test_valid(self):
        p = self.write("ok.tsv", [("u1", "audio/a.flac", "1.000", "spk1", "hello there"),
                                  ("u2", "audio/b.flac", "1.000", "spk1", "")])
        rows = M.read_manifest(p)
        self.assertEqual([r.id for r in rows], ["u1", "u2"])
        self.assertTrue(os.path.isabs(rows[0].audio))
        out = self.dir / "out.tsv"
        M.write_manifest(out, rows)
        self.assertEqual([r.text for r in M.read_manifest(out)], ["hello there", ""])

    def test_missing_audio_names_row(self):
        p = self.write("m.tsv", [("u1", "audio/a.flac", "1.000", "spk1", "hello"),
                                 ("u2", "audio/nope.flac", "1.000", "spk1", "hello")])
        self.assertRefused(p, 3, "u2", ["missing audio", "nope.flac"])

    def test_bad_symbols_name_row(self):
        for text in ("Hello", "it costs 5 dollars", "hello, there", "caf\u00e9", "a-b"):
            p = self.write("s.tsv", [("u1", "audio/a.flac", "1.000", "spk1", "fine"),
                                     ("u2", "audio/b.flac", "1.000", "spk1", text)])
            self.assertRefused(p, 3, "u2", ["symbols outside the 29"])

    def test_spaces(self):
        p = self.write("sp.tsv", [("u1", "audio/a.flac", "1.000", "spk1", "two  spaces")])
        self.assertRefused(p, 2, "u1", ["spaces"])

    def test_duplicate_id(self):
        p = self.write("d.tsv", [("u1", "audio/a.flac", "1.000", "spk1", "x"),
                                 ("u1", "audio/b.flac", "1.000", "spk1", "y")])
        self.assertRefused(p, 3, "u1", ["duplicate id"])

    def test_bad_duration(self):
        for dur in ("-1", "0", "abc", "nan", "1000"):
            p = self.write("du.tsv", [("u1", "audio/a.flac", dur, "spk1", "x")])
            self.assertRefused(p, 2, "u1", ["bad duration"])
        p = self.write("du2.tsv", [("u1", "audio/a.flac", "3.000", "spk1", "x")])  # file lasts 1 s
        self.assertRefused(p, 2, "u1", ["bad duration", "lasts 1.000"])

    def test_dev_speaker_leak_names_training_row(self):
        train = self.write("train.tsv", [("t1", "audio/a.flac", "1.000", "spkA", "x"),
                                         ("t2", "audio/b.flac", "1.000", "spkDEV", "y")])
        dev = self.write("dev.tsv", [("d1", "audio/c.flac", "1.000", "spkDEV", "z")])
        tr, dv = M.read_manifest(train), M.read_manifest(dev)
        with self.assertRaises(M.ManifestError) as cm:
            M.check_speaker_disjoint({"train_real": tr}, {"dev_x": dv})
        msg = str(cm.exception)
        self.assertIn(str(train), msg)
        self.assertIn("line 3", msg)
        self.assertIn("t2", msg)
        self.assertIn("spkDEV", msg)

    def test_dev_text_in_training(self):
        train = self.write("train.tsv", [("t1", "audio/a.flac", "1.000", "spkA", "we need the budget today")])
        dev = self.write("dev.tsv", [("d1", "audio/c.flac", "1.000", "spkB", "we need the budget today")])
        with self.assertRaises(M.ManifestError) as cm:
            M.check_text_disjoint({"train_real": M.read_manifest(train)}, {"dev": M.read_manifest(dev)})
        self.assertIn("t1", str(cm.exception))

    def test_duplicate_across_lists(self):
        a = self.write("a.tsv", [("u1", "audio/a.flac", "1.000", "spkA", "x")])
        b = self.write("b.tsv", [("u1", "audio/b.flac", "1.000", "spkB", "y")])
        with self.assertRaises(M.ManifestError):
            M.check_unique_ids({"a": M.read_manifest(a), "b": M.read_manifest(b)})


if __name__ == "__main__":
    unittest.main()
