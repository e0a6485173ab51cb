import math
import unittest

import torch

from hush.featbank import FeatBank, copy_seed
from hush.self_labels import agreement, choose, normalise_hyp, parse_hyp, read_tsv, subselect, teacher_label, tsv_text
from hush.text import BLANK, NUM_CLASSES, SYMBOLS, encode


def part(frames, name="untranscribed", copy=1):
    """Utterance i's frames all hold the value 10*i + t (t = frame index), so any misgathered frame shows."""
    feats = torch.cat([(10 * i + torch.arange(n, dtype=torch.float32)).unsqueeze(1).expand(n, 80) for i, n in enumerate(frames)]).half()
    frames_t = torch.tensor(frames)
    offsets = torch.zeros(len(frames), dtype=torch.long)
    offsets[1:] = torch.cumsum(frames_t, 0)[:-1]
    return {"list": name, "copy": copy, "seed": copy_seed(name, copy), "ids": [f"u{i}" for i in range(len(frames))],
            "texts": [""] * len(frames), "speakers": [f"s{i}" for i in range(len(frames))],
            "offsets": offsets, "frames": frames_t, "feats": feats}


class PocketsphinxOutputBecomesLabels(unittest.TestCase):
    def test_hyp_lines_map_utterances_to_words_including_empty_ones(self):
        hyps = parse_hyp("hello world (librispeech_1-2-0003 -12345)\n (picovoice_x.y -77)\nTHE END(2) (vcc2016_a 0)\n\n")
        self.assertEqual(hyps, {"librispeech_1-2-0003": "hello world", "picovoice_x.y": "", "vcc2016_a": "THE END(2)"})

    def test_a_malformed_or_repeated_line_is_refused_with_its_line_number(self):
        with self.assertRaisesRegex(ValueError, r"^2: "):
            parse_hyp("a (u1 -1)\nno utterance id here\n")
        with self.assertRaisesRegex(ValueError, r"^2: utterance u1 appears twice"):
            parse_hyp("a (u1 -1)\nb (u1 -2)\n")

    def test_text_is_normalised_to_the_29_symbols(self):
        cases = {
            "<s> HELLO [NOISE] World(2) ++BREATH++ </s>": "hello world",
            "I'M  GOING TO 42ND street <sil>": "i'm going to forty second street",
            "meet at ten a.m. with DR. smith's c1 team": "meet at ten a m with dr smith's c one team",
            "cat-2 ad-hoc & more": "cat two ad hoc and more",
            "rock-n-roll café 'quoted'": "rock n roll caf quoted",
            "[noise] <sil>": "",
        }
        for raw, want in cases.items():
            got = normalise_hyp(raw)
            self.assertEqual(got, want, raw)
            self.assertTrue(set(got) <= set(SYMBOLS))
            self.assertEqual(got, " ".join(got.split()))  # single spaces, none at either end
            encode(got)


class TeacherLabelsAndTheirConfidence(unittest.TestCase):
    def test_greedy_transcript_and_confidence_over_non_blank_frames_only(self):
        a, b = SYMBOLS.index("a"), SYMBOLS.index("b")
        probs = torch.full((5, NUM_CLASSES), 0.01)
        for t, (cls, p) in enumerate([(a, 0.9), (a, 0.5), (BLANK, 0.3), (b, 0.6), (BLANK, 0.99)]):
            probs[t, cls] = p
        text, conf = teacher_label(probs.log())
        self.assertEqual(text, "ab")
        self.assertAlmostEqual(conf, math.exp((math.log(0.9) + math.log(0.5) + math.log(0.6)) / 3), places=5)

    def test_all_blank_is_empty_with_zero_confidence(self):
        probs = torch.full((4, NUM_CLASSES), 0.01)
        probs[:, BLANK] = 0.9
        self.assertEqual(teacher_label(probs.log()), ("", 0.0))

    def test_every_utterance_is_kept_or_left_out_with_one_reason(self):
        ids = ["a", "b", "c", "d", "e"]
        kept, left = choose(ids, ["x y", "", None, "z", "w"], [0.9, 0.0, 0.0, 0.5, 0.8], min_confidence=0.8)
        self.assertEqual(kept, [0, 4])
        self.assertEqual(left, {"no output": ["c"], "empty": ["b"], "low confidence": ["d"]})
        kept, left = choose(ids, ["x y", "", None, "z", "w"])  # pocketsphinx: no confidence threshold
        self.assertEqual(kept, [0, 3, 4])
        self.assertEqual(sum(map(len, left.values())) + len(kept), len(ids))

    def test_agreement_is_wer_on_the_utterances_both_kept(self):
        got = agreement({"a": "the cat sat", "b": "on the mat", "c": "only here"}, {"a": "the cat sad", "b": "on the mat", "d": "x"})
        self.assertEqual(got, {"utterances": 2, "errors": 1, "ref_words": 6, "wer": 16.67})


class SubselectedFeaturesStayAligned(unittest.TestCase):
    def test_rows_keep_their_frames_with_rebuilt_offsets_and_provenance(self):
        src = part([3, 5, 2, 4])
        sub = subselect(src, [3, 1], ["three", "one"], "self_train_teacher")
        self.assertEqual(sub["ids"], ["u3", "u1"])
        self.assertEqual(sub["texts"], ["three", "one"])
        self.assertEqual(sub["speakers"], ["s3", "s1"])
        self.assertEqual(sub["frames"].tolist(), [4, 5])
        self.assertEqual(sub["offsets"].tolist(), [0, 4])
        self.assertEqual(sub["feats"].shape, (9, 80))
        self.assertEqual((sub["list"], sub["copy"], sub["seed"], sub["source"]),
                         ("self_train_teacher", 1, copy_seed("untranscribed", 1), "untranscribed"))
        self.assertEqual(sub["source_rows"].tolist(), [3, 1])
        for j, i in enumerate([3, 1]):
            got = sub["feats"][sub["offsets"][j]: sub["offsets"][j] + sub["frames"][j]]
            want = src["feats"][src["offsets"][i]: src["offsets"][i] + src["frames"][i]]
            self.assertTrue(torch.equal(got, want))

    def test_a_featbank_over_the_subselection_batches_the_same_features_as_over_the_source(self):
        src = part([3, 5, 2, 4])
        sub = subselect(src, [0, 2, 3], ["a", "b", "c"], "self_train_pocketsphinx")
        feats, frames = FeatBank([sub]).batch([0, 1, 2])
        want, want_frames = FeatBank([src]).batch([0, 2, 3])
        self.assertTrue(torch.equal(frames, want_frames))
        self.assertTrue(torch.equal(feats, want))
        self.assertEqual(int(sub["offsets"][-1] + sub["frames"][-1]), sub["feats"].shape[0])

    def test_an_empty_selection_is_an_empty_part(self):
        sub = subselect(part([3, 5]), [], [], "self_train_teacher")
        self.assertEqual((sub["ids"], sub["frames"].tolist(), tuple(sub["feats"].shape)), ([], [], (0, 80)))


class ListFiles(unittest.TestCase):
    def test_tsv_round_trip_keeps_columns_and_refuses_tabs_in_cells(self):
        import tempfile
        from pathlib import Path
        cols = ["id", "audio", "duration_s", "speaker", "text", "confidence"]
        rows = [{"id": "u1", "audio": "/a/u1.opus", "duration_s": "1.250", "speaker": "s", "text": "it's here", "confidence": "0.9100"}]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "l.tsv"
            path.write_text(tsv_text(cols, rows))
            self.assertEqual(read_tsv(path), (cols, rows))
        with self.assertRaises(ValueError):
            tsv_text(cols, [{**rows[0], "text": "a\tb"}])


if __name__ == "__main__":
    unittest.main()
