import math
import unittest

import torch

from hush.spike_timing import best_lag, lag_summary
from hush.text import BLANK, NUM_CLASSES


def spikes(frames, at, cls=5):
    """Log-probs that are blank everywhere but a confident `cls` at the frames in `at`."""
    p = torch.full((frames, NUM_CLASSES), 1e-4)
    p[:, BLANK] = 1.0
    for f in at:
        p[f, BLANK], p[f, cls] = 1e-4, 1.0
    return torch.log(p / p.sum(-1, keepdim=True))


class SpikeTimingTest(unittest.TestCase):
    def test_a_student_firing_three_frames_late_has_lag_three(self):
        teacher = spikes(100, [10, 30, 55, 80])
        student = spikes(100, [13, 33, 58, 83])
        self.assertEqual(best_lag(student, teacher), 3)
        self.assertEqual(best_lag(teacher, student), -3)

    def test_same_timing_is_lag_zero_and_silence_does_not_count(self):
        t = spikes(60, [5, 25, 45])
        self.assertEqual(best_lag(t, t), 0)
        self.assertIsNone(best_lag(spikes(60, []), t))
        summary = lag_summary([t, spikes(60, [])], [t, t])
        self.assertEqual(summary["utterances"], 1)
        self.assertEqual(summary["median_lag_frames"], 0)
        self.assertTrue(math.isclose(summary["histogram"]["0"], 1.0))


if __name__ == "__main__":
    unittest.main()
