"""The teachers keep the runtime contract: 10 ms features in, one 20 ms frame of 29 log-probs out per feature pair."""
import unittest

import torch

from hush.models import SepConvCtc, build_teacher, count_parameters
from hush.text import NUM_CLASSES


class SepConvContract(unittest.TestCase):
    def test_strided_teacher_emits_one_frame_per_20_ms_for_any_even_length(self):
        model = SepConvCtc(d=32, layers=2, kernel=5, stride=2).eval()
        for frames in (2, 4, 6, 98, 100, 102):
            with torch.no_grad():
                out = model(torch.randn(1, frames, 80))
            self.assertEqual(tuple(out.shape), (1, frames // 2, NUM_CLASSES), frames)
            self.assertTrue(torch.allclose(out.exp().sum(-1), torch.ones(1, frames // 2), atol=1e-4))

    def test_strided_teacher_halves_the_block_compute(self):
        flat, strided = SepConvCtc(d=64, layers=2, stride=1), SepConvCtc(d=64, layers=2, stride=2)
        self.assertEqual(count_parameters(strided) - count_parameters(flat), 64 * NUM_CLASSES + NUM_CLASSES)
        steps = []
        strided.dw[0].register_forward_hook(lambda module, inputs, output: steps.append(output.shape[2]))
        strided(torch.randn(1, 200, 80))
        self.assertEqual(steps, [50])

    def test_config_round_trips_and_old_checkpoints_default_to_stride_1(self):
        model = build_teacher({**SepConvCtc(d=32, layers=2, stride=2).config, "kind": "sepconv"})
        self.assertEqual(model.stride, 2)
        old = {"feat_dim": 80, "d": 32, "layers": 2, "kernel": 11, "dropout": 0.1, "kind": "sepconv"}
        self.assertEqual(build_teacher(old).stride, 1)

    def test_refuses_an_unsupported_stride(self):
        with self.assertRaisesRegex(ValueError, "stride"):
            SepConvCtc(stride=3)


if __name__ == "__main__":
    unittest.main()
