import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from hush import manifest as M  # noqa: E402
from hush import synth as S  # noqa: E402


class SynthTextTest(unittest.TestCase):
    def test_exclusion_filter(self):
        dev = ["please send the slides to the whole team", "yes", "go to the office now"]
        f = S.ExclusionFilter(dev)
        self.assertTrue(f.excluded("please send the slides to the whole team"))       # same sentence
        self.assertTrue(f.excluded("okay please send the slides to the whole team today"))  # contains it
        self.assertTrue(f.excluded("send the slides to"))                              # read inside it (4 words)
        self.assertFalse(f.excluded("send the slides"))                                 # 3 words: allowed
        self.assertFalse(f.excluded("yes"))                                             # dev sentence < 4 words
        self.assertFalse(f.excluded("please send the report to the whole team"))
        self.assertFalse(f.excluded("we go to the office tomorrow"))
        self.assertFalse(f.excluded("xgo to the office now"))                           # word boundaries

    def test_pool_excludes_dev_sentences(self):
        import gzip
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            meet = ["we need to talk about the budget", "let's schedule the review for monday",
                    "i think the design is ready now", "can you share the notes after the meeting",
                    "the remote control should be yellow", "thanks everyone that was useful"] * 1
            with gzip.open(d / "m.txt.gz", "wt") as f:
                f.write("\n".join(meet) + "\n")
            with gzip.open(d / "a.tsv.gz", "wt") as f:
                f.write("meeting\tspeaker_line\tsentence\n")
                for i, s in enumerate(["so we need to talk about the budget", "and then", "fine by me",
                                       "the remote control should be yellow and round"]):
                    f.write(f"ES1\t0\t{s}\n")
            excl = S.ExclusionFilter(["we need to talk about the budget", "the remote control should be yellow"])
            pool, heldout, stats = S.build_pool(d / "m.txt.gz", d / "a.tsv.gz", None, excl, seed=1, n_heldout=1)
            texts = [p.text for p in pool]
            for t in texts:
                self.assertFalse(excl.excluded(t), t)
                self.assertNotIn("we need to talk about the budget", t)
                self.assertNotIn("remote control should be yellow", t)
                for h in heldout:
                    self.assertNotIn(h, t)
            self.assertGreater(stats.rejected.get("dev_text", 0), 0)
            self.assertEqual(len(heldout), 1)

    def test_normalize_text(self):
        cases = {"We'll meet at 10.": "we'll meet at ten",
                 "Budget: $2,500 (25%)": "budget two thousand five hundred dollars twenty five percent",
                 "the 3rd item, in 1999": "the third item in nineteen ninety nine",
                 "Q4 - 2024": "q four twenty twenty four", "in 2005": "in two thousand five",
                 "It\u2019s 101": "it's one hundred one"}
        for raw, want in cases.items():
            got = S.normalize_text(raw)
            self.assertEqual(got, want)
            self.assertIsNone(M.text_problem(got))

    def test_tts_filter(self):
        self.assertEqual(S.tts_problem("mm hmm that's right"), "filler")
        self.assertEqual(S.tts_problem("he d is there"), "fragment")
        self.assertIsNone(S.tts_problem("the l c d screen is fine"))
        self.assertEqual(S.tts_problem("the flurbix is fine", frozenset({"the", "is", "fine"})), "oov")

    def test_slt_kept_out_of_training(self):
        for v in S.TRAIN_VOICES:
            self.assertNotIn("slt", v.name)
            self.assertNotIn(v.arg, S.HELD_OUT_VOICE_ARGS)
        plan = S.make_plan([S.Sentence(f"sentence number {S.number_words(i)}", "meet", 1.0) for i in range(300)],
                           0.2, seed=3)
        self.assertTrue(all("slt" not in it.voice for it in plan))
        again = S.make_plan([S.Sentence(f"sentence number {S.number_words(i)}", "meet", 1.0) for i in range(300)],
                            0.4, seed=3)
        self.assertEqual([i.id for i in plan], [i.id for i in again[:len(plan)]])  # prefix-stable
        # removing one sentence from the pool leaves every other item (voice, rate, pitch, id) unchanged
        pool = [S.Sentence(f"sentence number {S.number_words(i)}", "meet", 1.0) for i in range(300)]
        full = {i.text: i.id for i in S.make_plan(pool, 0.05, seed=3)}
        fewer = S.make_plan(pool[:10] + pool[11:], 0.05, seed=3)
        self.assertLess(len(fewer), 299)
        self.assertTrue(all(full[i.text] == i.id for i in fewer if i.text in full))


if __name__ == "__main__":
    unittest.main()
