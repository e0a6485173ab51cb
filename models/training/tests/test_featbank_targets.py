import logging
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import torch

from hush import stage
from hush.featbank import FeatBank, copy_seed, feats_path
from hush.sources import training_source
from hush.targets import TargetBank, compress, expand


def part(name, copy, frames, fill):
    feats = torch.cat([torch.full((n, 80), float(v)) for n, v in zip(frames, fill)]).half()
    frames_t = torch.tensor(frames)
    offsets = torch.zeros(len(frames), dtype=torch.long)
    offsets[1:] = torch.cumsum(frames_t, 0)[:-1]
    ids = [f"{name}-{i}" for i in range(len(frames))]
    return {"list": name, "copy": copy, "seed": copy_seed(name, copy), "ids": ids, "texts": ["x"] * len(frames),
            "speakers": ["s"] * len(frames), "offsets": offsets, "frames": frames_t, "feats": feats}


class CachedFeaturesComeBackRowForRow(unittest.TestCase):
    def test_batches_across_parts_gather_each_utterance_and_zero_the_padding(self):
        bank = FeatBank([part("a", 0, [3, 5], [1, 2]), part("b", 1, [4], [7])])
        feats, frames = bank.batch([2, 0])
        self.assertEqual(frames.tolist(), [4, 3])
        self.assertTrue(torch.all(feats[0, :4] == 7))
        self.assertTrue(torch.all(feats[1, :3] == 1))
        self.assertTrue(torch.all(feats[1, 3:] == 0))
        self.assertEqual(bank.parts, [("a", 0), ("b", 1)])

    def test_copy_seeds_are_stable_distinct_and_zero_for_the_clean_copy(self):
        self.assertEqual(copy_seed("train_real", 0), 0)
        self.assertEqual(copy_seed("train_real", 1), copy_seed("train_real", 1))
        self.assertNotEqual(copy_seed("train_real", 1), copy_seed("train_real", 2))
        self.assertNotEqual(copy_seed("train_real", 1), copy_seed("synth_train", 1))


class SyntheticSpeechTakesOnlyTheCopiesAskedFor(unittest.TestCase):
    def test_synth_copies_load_the_augmented_synthetic_copy_beside_every_real_copy(self):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            for name, frames in (("train_real", [300, 500]), ("synth_train", [900])):
                for copy in (0, 1, 2):
                    path = feats_path(data, name, copy)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    torch.save(part(name, copy, frames, [copy] * len(frames)), path)
            with mock.patch.object(stage, "DATA", data):
                source = training_source("cached", ["train_real", "synth_train"], 3, 1, torch.device("cpu"), 0, 1,
                                         logging.getLogger("test"), synth_copies=[1])
        self.assertEqual(source.bank.parts, [("train_real", 0), ("train_real", 1), ("train_real", 2), ("synth_train", 1)])
        self.assertAlmostEqual(source.sources_hours["synth_train"], 9 / 3600)
        self.assertAlmostEqual(source.sources_hours["train_real"], 8 / 3600)


class TopKTargetsKeepTheTeachersDistribution(unittest.TestCase):
    def test_expand_restores_the_top_k_and_a_normalised_remainder(self):
        logp = torch.log_softmax(torch.randn(50, 29) * 3, dim=-1)
        values, ids = compress(logp, 8)
        full = expand(values, ids)
        self.assertTrue(torch.allclose(full.exp().sum(-1), torch.ones(50), atol=2e-3))
        self.assertTrue(torch.equal(full.argmax(-1), logp.argmax(-1)))
        top = logp.topk(8, -1)
        self.assertTrue(torch.allclose(full.gather(-1, top.indices), top.values, atol=1e-2))

    def test_targets_that_do_not_match_the_features_are_refused(self):
        import tempfile
        from pathlib import Path
        with tempfile.TemporaryDirectory() as d:
            bank = FeatBank([part("a", 0, [3, 5], [1, 2])])
            values, ids = compress(torch.log_softmax(torch.randn(4, 29), -1), 8)
            (Path(d) / "targets").mkdir()
            torch.save({"utt_ids": ["a-1", "a-0"], "offsets": torch.tensor([0, 2]), "frames": torch.tensor([2, 2]), "values": values,
                        "ids_topk": ids, "hyps": ["", ""], "confidence": [0.0, 0.0]}, Path(d) / "targets" / "a.c0.pt")
            with self.assertRaises(ValueError):
                TargetBank.for_features(d, bank)


if __name__ == "__main__":
    unittest.main()
